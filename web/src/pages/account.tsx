// The signed-in person's account: contacts (changed by code), who looked at their data, sign out.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api/client';
import {
  CompleteContactChangeDocument,
  type ContactChangeFieldsFragment,
  MyDataAccessDocument,
  type MyDataAccessQuery,
  type Role,
  StartContactChangeDocument,
} from '../generated/operations';
import { formatDateTime, type Key, t } from '../i18n/i18n';
import { navigate } from '../router';
import { setFlow, setState, useAppState } from '../state';
import { CodeStep, typedCode } from '../ui/code-step';
import {
  ErrorSummary,
  errorText,
  Field,
  type FieldError,
  Notice,
  onSubmit,
  Page,
  SubmitButton,
  useForm,
} from '../ui/form';
import { ROLE_KEYS } from './actor';
import { codeRejectionText } from './code-rejection';
import { whatWasReadText } from './reading';
import { signOut } from './session';
import { StartAgain } from './sign-in';

export function AccountPage() {
  const { me, flow } = useAppState();
  if (!me) return <StartAgain />;
  return (
    <Page title={t('account.title')}>
      {flow.notice && <Notice kind="success">{flow.notice}</Notice>}
      <dl class="summary">
        <dt>{t('account.name')}</dt>
        <dd>{me.displayName}</dd>
        <dt>{t('field.identifier')}</dt>
        <dd>{me.identifier}</dd>
        <dt>{t('field.email')}</dt>
        <dd>{me.email}</dd>
        <dt>{t('field.phone')}</dt>
        <dd>{me.phone}</dd>
        <dt>{t('account.lastSignIn')}</dt>
        <dd>{me.lastSignInAt ? formatDateTime(me.lastSignInAt) : t('common.never')}</dd>
      </dl>
      <ul class="link-list">
        <li>
          <a href="#/account/contact">{t('contact.title')}</a>
        </li>
        <li>
          <a href="#/account/data-access">{t('dataAccess.title')}</a>
        </li>
        {me.kind === 'CITIZEN' && (
          <li>
            <a href="#/register-business">{t('business.title')}</a>
          </li>
        )}
      </ul>
      <button type="button" class="button button-secondary" onClick={() => void signOut()}>
        {t('nav.signOut')}
      </button>
    </Page>
  );
}

function contactAnswer(answer: ContactChangeFieldsFragment, field: string): FieldError[] | undefined {
  switch (answer.__typename) {
    case 'OtpSent':
      setFlow({ challengeId: answer.challengeId, channels: answer.channels, expiresAt: answer.expiresAt });
      navigate('/account/contact/code');
      return;
    case 'Account':
      setState({ me: answer, flow: { notice: t('contact.done') } });
      navigate('/account');
      return;
    case 'CodeRejected':
      return [{ field, message: codeRejectionText(answer.reason, answer.attemptsLeft) }];
    case 'InputRefused':
      return [
        {
          field: ['phone', 'email', 'code'].includes(answer.field) ? answer.field : undefined,
          message: answer.message,
        },
      ];
    case 'RateLimited':
      return [{ message: t('errors.rateLimited', { s: answer.retryAfterSeconds }) }];
  }
}

export function ContactChangePage() {
  const form = useForm({ phone: '', email: '' });
  const send = () =>
    form.submit([], async () => {
      const phone = form.values.phone.trim() || null;
      const email = form.values.email.trim() || null;
      if (!phone && !email) return [{ field: 'phone', message: t('contact.oneNeeded') }];
      return contactAnswer(
        (await request(StartContactChangeDocument, { phone, email })).startContactChange,
        'phone',
      );
    });
  return (
    <Page title={t('contact.title')}>
      <p>{t('contact.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('phone')}
          label={t('contact.newPhone')}
          hint={t('field.phoneHint')}
          type="tel"
          autocomplete="tel"
        />
        <Field {...form.bind('email')} label={t('contact.newEmail')} type="email" autocomplete="email" />
        <SubmitButton busy={form.busy}>{t('common.continue')}</SubmitButton>
      </form>
    </Page>
  );
}

export function ContactCodePage() {
  const { flow } = useAppState();
  const form = useForm({ code: '' });
  if (!flow.challengeId) return <StartAgain />;
  const challengeId = flow.challengeId;
  const send = () =>
    form.submit([['code', 'field.code']], async () =>
      contactAnswer(
        (
          await request(CompleteContactChangeDocument, {
            challengeId,
            code: typedCode(form.values.code),
          })
        ).completeContactChange,
        'code',
      ),
    );
  return <CodeStep form={form} send={send} channels={flow.channels} submitLabel={t('code.submit')} />;
}

type Reading = MyDataAccessQuery['myDataAccess']['edges'][number]['node'];

const STANDING_PURPOSE_KEYS: Partial<Record<Role, Key>> = {
  CASEWORKER: 'dataAccess.purpose.CASEWORKER',
  HELPDESK: 'dataAccess.purpose.HELPDESK',
  AUDITOR: 'dataAccess.purpose.AUDITOR',
  ADMIN: 'dataAccess.purpose.ADMIN',
};

/** The role's standing purpose in the chosen language; a purpose the reader typed, as typed. */
function purposeText(reading: Reading): string {
  const key = reading.standingPurpose ? STANDING_PURPOSE_KEYS[reading.role] : undefined;
  return key ? t(key) : reading.purpose;
}

export function DataAccessPage() {
  const [page, setPage] = useState<MyDataAccessQuery['myDataAccess'] | string | null>(null);
  useEffect(() => {
    request(MyDataAccessDocument, { after: null })
      .then((answer) => setPage(answer.myDataAccess))
      .catch((error) => setPage(errorText(error)));
  }, []);
  return (
    <Page title={t('dataAccess.title')}>
      <p>{t('dataAccess.intro')}</p>
      {page === null && <p>{t('common.loading')}</p>}
      {typeof page === 'string' && <ErrorSummary errors={[{ message: page }]} />}
      {page && typeof page !== 'string' && page.edges.length === 0 && <p>{t('dataAccess.none')}</p>}
      {page && typeof page !== 'string' && page.edges.length > 0 && (
        <ul class="card-list">
          {page.edges.map(({ node }) => (
            <li class="card" key={`${node.at}-${node.actor}`}>
              <strong>{node.actor}</strong> ({t(ROLE_KEYS[node.role])}) · {formatDateTime(node.at)}
              <p>
                {whatWasReadText(node.read, node.what)}: {purposeText(node)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
