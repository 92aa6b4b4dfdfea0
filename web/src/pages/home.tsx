import { t } from '../i18n/i18n';
import { useAppState } from '../state';
import { Page } from '../ui/form';
import { homeOf } from './session';

export function HomePage() {
  const { me } = useAppState();
  return (
    <Page title={t('home.title')}>
      <p class="lead">{t('home.lead')}</p>
      {me ? (
        <p>
          <a class="button" href={`#${homeOf(me)}`}>
            {t('home.continue', { name: me.displayName })}
          </a>
        </p>
      ) : (
        <div class="button-group">
          <a class="button" href="#/sign-in">
            {t('nav.signIn')}
          </a>
          <a class="button button-secondary" href="#/register">
            {t('nav.register')}
          </a>
        </div>
      )}
      <h2>{t('home.servicesTitle')}</h2>
      <ul class="link-list">
        <li>
          <a href="#/services">{t('home.services')}</a>
        </li>
        <li>
          <a href="#/foreigner">{t('home.foreigner')}</a>
        </li>
        <li>
          <a href="#/track">{t('home.track')}</a>
        </li>
        <li>
          <a href="#/recover">{t('signIn.forgot')}</a>
        </li>
      </ul>
    </Page>
  );
}
