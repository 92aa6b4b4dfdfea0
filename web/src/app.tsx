// The frame of every page (skip link, header with navigation and the language switch) and the routes.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentLanguage, onLanguageChange, setLanguage, t } from './i18n/i18n';
import { AccountPage, ContactChangePage, ContactCodePage, DataAccessPage } from './pages/account';
import { ApplicationPage, MyApplicationsPage } from './pages/applications';
import { ForeignerApplyPage, ForeignerServicesPage, TrackingCodePage, TrackPage } from './pages/foreigner';
import { HomePage } from './pages/home';
import {
  RecoverCodePage,
  RecoverDonePage,
  RecoverEmailPage,
  RecoverQuestionPage,
  RecoverStartPage,
} from './pages/recover';
import { RegisterBusinessPage, RegisterPage } from './pages/register';
import { ApplyPage, ServicesPage } from './pages/services';
import { refreshMe, signOut } from './pages/session';
import { CodePage, NewPasswordPage, SignInPage } from './pages/sign-in';
import { AuditPage, CasePage, HelpdeskPage, QueuePage } from './pages/staff';
import { match, usePath } from './router';
import { useAppState } from './state';
import { Page } from './ui/form';

type Route = [string, (params: Record<string, string>) => ComponentChildren];

const ROUTES: Route[] = [
  ['/', () => <HomePage />],
  ['/register', () => <RegisterPage />],
  ['/register/code', () => <CodePage purpose="registration" />],
  ['/register-business', () => <RegisterBusinessPage />],
  ['/sign-in', () => <SignInPage />],
  ['/sign-in/code', () => <CodePage purpose="login" />],
  ['/new-password', () => <NewPasswordPage />],
  ['/recover', () => <RecoverStartPage />],
  ['/recover/code', () => <RecoverCodePage />],
  ['/recover/question', () => <RecoverQuestionPage />],
  ['/recover/email', () => <RecoverEmailPage />],
  ['/recover/done', () => <RecoverDonePage />],
  ['/services', () => <ServicesPage />],
  ['/services/:id/apply', (p) => <ApplyPage serviceId={p.id ?? ''} />],
  ['/applications', () => <MyApplicationsPage />],
  ['/applications/:id', (p) => <ApplicationPage id={p.id ?? ''} />],
  ['/foreigner', () => <ForeignerServicesPage />],
  ['/foreigner/code', () => <TrackingCodePage />],
  ['/foreigner/:id', (p) => <ForeignerApplyPage serviceId={p.id ?? ''} />],
  ['/track', () => <TrackPage />],
  ['/queue', () => <QueuePage />],
  ['/queue/:id', (p) => <CasePage id={p.id ?? ''} />],
  ['/helpdesk', () => <HelpdeskPage />],
  ['/audit', () => <AuditPage />],
  ['/account', () => <AccountPage />],
  ['/account/contact', () => <ContactChangePage />],
  ['/account/contact/code', () => <ContactCodePage />],
  ['/account/data-access', () => <DataAccessPage />],
];

function route(path: string): ComponentChildren {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params);
  }
  return (
    <Page title={t('notFound.title')}>
      <p>
        <a href="#/">{t('notFound.home')}</a>
      </p>
    </Page>
  );
}

function LanguageSwitch() {
  const other = currentLanguage() === 'sq' ? 'en' : 'sq';
  return (
    <button type="button" class="language-switch" lang={other} onClick={() => setLanguage(other)}>
      {other === 'en' ? 'English' : 'Shqip'}
    </button>
  );
}

function Navigation() {
  const { me } = useAppState();
  const links: [string, string][] = [['#/services', t('nav.services')]];
  if (!me)
    links.push(
      ['#/foreigner', t('nav.foreigner')],
      ['#/sign-in', t('nav.signIn')],
      ['#/register', t('nav.register')],
    );
  else {
    links.push(['#/applications', t('nav.applications')]);
    if (me.roles.includes('CASEWORKER')) links.push(['#/queue', t('nav.queue')]);
    if (me.roles.includes('HELPDESK')) links.push(['#/helpdesk', t('nav.helpdesk')]);
    if (me.roles.includes('AUDITOR')) links.push(['#/audit', t('nav.audit')]);
    links.push(['#/account', t('nav.account')]);
  }
  return (
    <nav aria-label={t('nav.label')}>
      <ul class="nav">
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href}>{label}</a>
          </li>
        ))}
        {me && (
          <li>
            <button type="button" class="link-button" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </li>
        )}
      </ul>
    </nav>
  );
}

export function App() {
  const path = usePath();
  const [, rerender] = useState(0);
  const { me } = useAppState();
  useEffect(() => onLanguageChange(() => rerender((n) => n + 1)), []);
  useEffect(() => {
    void refreshMe();
  }, []);
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: hash routing owns the URL's fragment, so the skip link moves the focus itself */}
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      <header class="header">
        <div class="header-inner">
          <a class="brand" href="#/">
            {t('app.name')}
          </a>
          <LanguageSwitch />
        </div>
        <Navigation />
      </header>
      <main id="main" tabIndex={-1} class="main">
        {me === undefined ? <p>{t('common.loading')}</p> : route(path)}
      </main>
      <footer class="footer">
        <p>{t('footer.text')}</p>
      </footer>
    </>
  );
}
