// Sign-in: identifier + password, then the 6-digit code sent to the phone and the e-mail; the same
// code page confirms a registration. Each answer in plain words, with what to do next.
import { useState } from 'preact/hooks';
import { request } from '../api/client';
import {
  CompleteLoginDocument,
  ConfirmRegistrationDocument,
  ResendCodeDocument,
  SetNewPasswordDocument,
  StartLoginDocument,
} from '../generated/operations';
import { formatDateTime, t } from '../i18n/i18n';
import { navigate } from '../router';
import { getState, setFlow, useAppState } from '../state';
import { CodeStep, typedCode } from '../ui/code-step';
import { ErrorSummary, Field, Notice, onSubmit, Page, SubmitButton, useForm } from '../ui/form';
import { codeRejectionText } from './code-rejection';
import { signedIn } from './session';

export function SignInPage() {
  const { flow } = useAppState();
  const form = useForm({ identifier: '', password: '' });
  const [lockedUntil, setLockedUntil] = useState<string | null>(null);
  const send = () =>
    form.submit(
      [
        ['identifier', 'field.identifier'],
        ['password', 'field.password'],
      ],
      async () => {
        setLockedUntil(null);
        const { startLogin } = await request(StartLoginDocument, {
          identifier: form.values.identifier.trim(),
          password: form.values.password,
        });
        switch (startLogin.__typename) {
          case 'OtpSent':
            setFlow({
              challengeId: startLogin.challengeId,
              channels: startLogin.channels,
              expiresAt: startLogin.expiresAt,
            });
            navigate('/sign-in/code');
            return;
          case 'LoginRejected':
            return [{ field: 'password', message: startLogin.message }];
          case 'AccountLocked':
            setLockedUntil(startLogin.lockedUntil);
            return [{ message: t('signIn.locked', { until: formatDateTime(startLogin.lockedUntil) }) }];
          case 'RateLimited':
            return [{ message: t('errors.rateLimited', { s: startLogin.retryAfterSeconds }) }];
        }
      },
    );
  return (
    <Page title={t('signIn.title')}>
      {flow.notice && <Notice kind="success">{flow.notice}</Notice>}
      <ErrorSummary errors={form.errors} />
      {lockedUntil && (
        <Notice kind="warning">
          <p class="lock-notice">{t('signIn.lockedNext', { until: formatDateTime(lockedUntil) })}</p>
          <p>
            <a href="#/recover">{t('signIn.forgot')}</a>
          </p>
        </Notice>
      )}
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('identifier')}
          label={t('field.identifier')}
          hint={t('field.identifierHint')}
          autocomplete="username"
        />
        <Field
          {...form.bind('password')}
          label={t('field.password')}
          type="password"
          autocomplete="current-password"
        />
        <SubmitButton busy={form.busy}>{t('signIn.submit')}</SubmitButton>
      </form>
      <p>
        <a href="#/recover">{t('signIn.forgot')}</a>
      </p>
      <p>
        <a href="#/register">{t('signIn.noAccount')}</a>
      </p>
    </Page>
  );
}

/** The 6-digit code page of a sign-in (`purpose` login) or of a registration. */
export function CodePage({ purpose }: { purpose: 'login' | 'registration' }) {
  const { flow } = useAppState();
  const form = useForm({ code: '' });
  const [notice, setNotice] = useState<string | null>(null);
  if (!flow.challengeId) return <StartAgain />;
  const challengeId = flow.challengeId;
  const send = () =>
    form.submit([['code', 'field.code']], async () => {
      const code = typedCode(form.values.code);
      if (purpose === 'registration') {
        const { confirmRegistration: answer } = await request(ConfirmRegistrationDocument, {
          challengeId,
          code,
        });
        if (answer.__typename === 'SessionStarted') return signedIn(answer.account, t('register.done'));
        return [{ field: 'code', message: codeRejectionText(answer.reason, answer.attemptsLeft) }];
      }
      const { completeLogin: answer } = await request(CompleteLoginDocument, { challengeId, code });
      switch (answer.__typename) {
        case 'SessionStarted':
          return signedIn(answer.account);
        case 'PasswordChangeRequired':
          setFlow({
            changeToken: answer.changeToken,
            requiresSecurityQuestion: answer.requiresSecurityQuestion,
          });
          navigate('/new-password');
          return;
        case 'CodeRejected':
          return [{ field: 'code', message: codeRejectionText(answer.reason, answer.attemptsLeft) }];
        case 'AccountLocked':
          return [{ message: t('signIn.locked', { until: formatDateTime(answer.lockedUntil) }) }];
      }
    });
  const resend = async () => {
    setNotice(null);
    try {
      const { resendCode: answer } = await request(ResendCodeDocument, { challengeId });
      if (answer.__typename === 'OtpSent') {
        setFlow({
          ...getState().flow,
          challengeId: answer.challengeId,
          channels: answer.channels,
          expiresAt: answer.expiresAt,
        });
        setNotice(t('code.resent', { until: formatDateTime(answer.expiresAt) }));
      } else if (answer.__typename === 'RateLimited') {
        form.setErrors([{ message: t('errors.rateLimited', { s: answer.retryAfterSeconds }) }]);
      } else form.setErrors([{ message: codeRejectionText(answer.reason, answer.attemptsLeft) }]);
    } catch {
      form.setErrors([{ message: t('errors.network') }]);
    }
  };
  return (
    <CodeStep
      form={form}
      send={send}
      channels={flow.channels}
      expiresAt={flow.expiresAt}
      notice={notice}
      submitLabel={t('code.submit')}
    >
      {purpose === 'login' && (
        <p>
          <button type="button" class="button button-secondary" onClick={resend}>
            {t('code.resend')}
          </button>
        </p>
      )}
    </CodeStep>
  );
}

/** After a temporary password: the one thing its holder may do is choose a new one. */
export function NewPasswordPage() {
  const { flow } = useAppState();
  const form = useForm({ newPassword: '', securityQuestion: '', securityAnswer: '' });
  if (!flow.changeToken) return <StartAgain />;
  const changeToken = flow.changeToken;
  const needsQuestion = flow.requiresSecurityQuestion === true;
  const send = () =>
    form.submit(
      [
        ['newPassword', 'field.newPassword'],
        ...(needsQuestion
          ? ([
              ['securityQuestion', 'field.securityQuestion'],
              ['securityAnswer', 'field.securityAnswer'],
            ] as const)
          : []),
      ],
      async () => {
        const { setNewPassword: answer } = await request(SetNewPasswordDocument, {
          changeToken,
          newPassword: form.values.newPassword,
          securityQuestion: needsQuestion ? form.values.securityQuestion : null,
          securityAnswer: needsQuestion ? form.values.securityAnswer : null,
        });
        switch (answer.__typename) {
          case 'PasswordUpdated':
            return signedIn(answer.account, t('newPassword.done'));
          case 'PasswordRefused':
            return answer.reasons.map((message) => ({ field: 'newPassword', message }));
          case 'CodeRejected':
            return [{ message: codeRejectionText(answer.reason, answer.attemptsLeft) }];
        }
      },
    );
  return (
    <Page title={t('newPassword.title')}>
      <p>{t('newPassword.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('newPassword')}
          label={t('field.newPassword')}
          hint={t('field.passwordHint')}
          type="password"
          autocomplete="new-password"
        />
        {needsQuestion && (
          <>
            <Field
              {...form.bind('securityQuestion')}
              label={t('field.securityQuestion')}
              hint={t('field.securityQuestionHint')}
            />
            <Field {...form.bind('securityAnswer')} label={t('field.securityAnswer')} />
          </>
        )}
        <SubmitButton busy={form.busy}>{t('newPassword.submit')}</SubmitButton>
      </form>
    </Page>
  );
}

export function StartAgain() {
  return (
    <Page title={t('startAgain.title')}>
      <p>{t('startAgain.body')}</p>
      <p>
        <a href="#/">{t('startAgain.link')}</a>
      </p>
    </Page>
  );
}
