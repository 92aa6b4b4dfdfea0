// Registration: a citizen (NID + ID card number), or a business by its administrator signed in to
// their own citizen account (NIPT); then the 6-digit code.
import { request } from '../api/client';
import { RegisterBusinessDocument, RegisterCitizenDocument } from '../generated/operations';
import { t } from '../i18n/i18n';
import { navigate } from '../router';
import { getState, setFlow, useAppState } from '../state';
import { ErrorSummary, Field, type FieldError, onSubmit, Page, SubmitButton, useForm } from '../ui/form';

type Answer =
  | {
      __typename: 'OtpSent';
      challengeId: string;
      expiresAt: string;
      channels: { channel: string; to: string }[];
    }
  | { __typename: 'InputRefused'; field: string; code: string; message: string }
  | { __typename: 'RateLimited'; retryAfterSeconds: number };

function afterRegister(answer: Answer, fields: string[]): FieldError[] | undefined {
  if (answer.__typename === 'OtpSent') {
    setFlow({ challengeId: answer.challengeId, channels: answer.channels, expiresAt: answer.expiresAt });
    navigate('/register/code');
    return;
  }
  if (answer.__typename === 'RateLimited')
    return [{ message: t('errors.rateLimited', { s: answer.retryAfterSeconds }) }];
  return [{ field: fields.includes(answer.field) ? answer.field : undefined, message: answer.message }];
}

const contactFields = (form: ReturnType<typeof useForm<Record<string, string>>>) => (
  <>
    <Field {...form.bind('email')} label={t('field.email')} type="email" autocomplete="email" />
    <Field
      {...form.bind('phone')}
      label={t('field.phone')}
      hint={t('field.phoneHint')}
      type="tel"
      autocomplete="tel"
    />
    <Field
      {...form.bind('password')}
      label={t('field.newPassword')}
      hint={t('field.passwordHint')}
      type="password"
      autocomplete="new-password"
    />
    <Field
      {...form.bind('securityQuestion')}
      label={t('field.securityQuestion')}
      hint={t('field.securityQuestionHint')}
    />
    <Field {...form.bind('securityAnswer')} label={t('field.securityAnswer')} autocomplete="off" />
  </>
);

/** What both registrations ask besides their identifiers, empty and as sent. */
const CONTACT_EMPTY = { email: '', phone: '', password: '', securityQuestion: '', securityAnswer: '' };
const contactInput = (v: Record<string, string>) => ({
  email: (v.email ?? '').trim(),
  phone: (v.phone ?? '').trim(),
  password: v.password ?? '',
  securityQuestion: v.securityQuestion ?? '',
  securityAnswer: v.securityAnswer ?? '',
});

const CONTACT_REQUIRED = [
  ['email', 'field.email'],
  ['phone', 'field.phone'],
  ['password', 'field.newPassword'],
  ['securityQuestion', 'field.securityQuestion'],
  ['securityAnswer', 'field.securityAnswer'],
] as const;

export function RegisterPage() {
  const form = useForm<Record<string, string>>({
    nid: '',
    idCardNumber: '',
    ...CONTACT_EMPTY,
  });
  const send = () =>
    form.submit(
      [['nid', 'field.nid'], ['idCardNumber', 'field.idCardNumber'], ...CONTACT_REQUIRED],
      async () => {
        const v = form.values;
        const { registerCitizen } = await request(RegisterCitizenDocument, {
          input: {
            nid: v.nid!.trim(),
            idCardNumber: v.idCardNumber!.trim(),
            ...contactInput(v),
          },
        });
        return afterRegister(registerCitizen, Object.keys(form.values));
      },
    );
  return (
    <Page title={t('register.title')}>
      <p>{t('register.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('nid')}
          label={t('field.nid')}
          hint={t('field.nidHint')}
          autocomplete="username"
        />
        <Field {...form.bind('idCardNumber')} label={t('field.idCardNumber')} inputMode="numeric" />
        {contactFields(form)}
        <SubmitButton busy={form.busy}>{t('register.submit')}</SubmitButton>
      </form>
      <p>
        <a href="#/sign-in">{t('register.haveAccount')}</a>
      </p>
    </Page>
  );
}

export function RegisterBusinessPage() {
  const { me } = useAppState();
  const form = useForm<Record<string, string>>({
    nipt: '',
    administratorNid: me?.identifier ?? '',
    ...CONTACT_EMPTY,
  });
  const send = () =>
    form.submit(
      [['nipt', 'field.nipt'], ['administratorNid', 'field.administratorNid'], ...CONTACT_REQUIRED],
      async () => {
        const v = form.values;
        const { registerBusiness } = await request(RegisterBusinessDocument, {
          input: {
            nipt: v.nipt!.trim(),
            administratorNid: v.administratorNid!.trim(),
            ...contactInput(v),
          },
        });
        return afterRegister(registerBusiness, Object.keys(form.values));
      },
    );
  return (
    <Page title={t('business.title')}>
      <p>{t('business.intro')}</p>
      {!getState().me && (
        <p>
          <a href="#/sign-in">{t('business.signInFirst')}</a>
        </p>
      )}
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('nipt')}
          label={t('field.nipt')}
          hint={t('field.niptHint')}
          autocomplete="username"
        />
        <Field {...form.bind('administratorNid')} label={t('field.administratorNid')} />
        {contactFields(form)}
        <SubmitButton busy={form.busy}>{t('register.submit')}</SubmitButton>
      </form>
    </Page>
  );
}
