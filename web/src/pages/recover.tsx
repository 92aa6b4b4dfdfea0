// Forgotten password: identifier -> code -> security question (or, forgotten too, the account's
// e-mail) -> a temporary password by SMS and e-mail -> sign in with it -> a new password.
import { request } from '../api/client';
import {
  AnswerSecurityQuestionDocument,
  ConfirmRecoveryEmailDocument,
  type RecoveryFieldsFragment,
  ResendRecoveryCodeDocument,
  StartPasswordRecoveryDocument,
  VerifyRecoveryCodeDocument,
} from '../generated/operations';
import { t } from '../i18n/i18n';
import { navigate } from '../router';
import { getState, setFlow, useAppState } from '../state';
import { CodeStep, typedCode } from '../ui/code-step';
import {
  ErrorSummary,
  Field,
  type FieldError,
  Notice,
  onSubmit,
  Page,
  SubmitButton,
  useForm,
} from '../ui/form';
import { codeRejectionText } from './code-rejection';
import { StartAgain } from './sign-in';

/** Moves to the page of the step the API names next, or returns the refusal for `field`. */
function follow(answer: RecoveryFieldsFragment, field: string): FieldError[] | undefined {
  switch (answer.__typename) {
    case 'RecoveryStep': {
      setFlow({
        ...getState().flow,
        recoveryId: answer.recoveryId,
        channels: answer.channels,
        securityQuestion: answer.securityQuestion,
      });
      const page = {
        ENTER_CODE: '/recover/code',
        ANSWER_SECURITY_QUESTION: '/recover/question',
        SIGN_IN_WITH_TEMPORARY_PASSWORD: '/recover/done',
      };
      navigate(page[answer.next]);
      return;
    }
    case 'CodeRejected':
      return [{ field, message: codeRejectionText(answer.reason, answer.attemptsLeft) }];
    case 'AnswerRejected':
      return [{ field, message: t('recover.answerRejected', { n: answer.attemptsLeft }) }];
    case 'EmailRejected':
      return [{ field, message: t('recover.emailRejected', { n: answer.attemptsLeft }) }];
    case 'RateLimited':
      return [{ message: t('errors.rateLimited', { s: answer.retryAfterSeconds }) }];
  }
}

export function RecoverStartPage() {
  const form = useForm({ identifier: '' });
  const send = () =>
    form.submit([['identifier', 'field.identifier']], async () => {
      const { startPasswordRecovery } = await request(StartPasswordRecoveryDocument, {
        identifier: form.values.identifier.trim(),
      });
      return follow(startPasswordRecovery, 'identifier');
    });
  return (
    <Page title={t('recover.title')}>
      <p>{t('recover.intro')}</p>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('identifier')}
          label={t('field.identifier')}
          hint={t('field.identifierHint')}
          autocomplete="username"
        />
        <SubmitButton busy={form.busy}>{t('common.continue')}</SubmitButton>
      </form>
    </Page>
  );
}

export function RecoverCodePage() {
  const { flow } = useAppState();
  const form = useForm({ code: '' });
  if (!flow.recoveryId) return <StartAgain />;
  const recoveryId = flow.recoveryId;
  const send = () =>
    form.submit([['code', 'field.code']], async () => {
      const { verifyRecoveryCode } = await request(VerifyRecoveryCodeDocument, {
        recoveryId,
        code: typedCode(form.values.code),
      });
      return follow(verifyRecoveryCode, 'code');
    });
  const resend = async () => {
    const { resendRecoveryCode } = await request(ResendRecoveryCodeDocument, { recoveryId }).catch(() => ({
      resendRecoveryCode: null,
    }));
    if (resendRecoveryCode && resendRecoveryCode.__typename !== 'RecoveryStep')
      form.setErrors(follow(resendRecoveryCode, 'code') ?? []);
  };
  return (
    <CodeStep form={form} send={send} channels={flow.channels} submitLabel={t('common.continue')}>
      <p>
        <button type="button" class="button button-secondary" onClick={resend}>
          {t('code.resend')}
        </button>
      </p>
    </CodeStep>
  );
}

export function RecoverQuestionPage() {
  const { flow } = useAppState();
  const form = useForm({ answer: '' });
  if (!flow.recoveryId) return <StartAgain />;
  const recoveryId = flow.recoveryId;
  const send = () =>
    form.submit([['answer', 'field.securityAnswer']], async () => {
      const { answerSecurityQuestion } = await request(AnswerSecurityQuestionDocument, {
        recoveryId,
        answer: form.values.answer,
      });
      return follow(answerSecurityQuestion, 'answer');
    });
  return (
    <Page title={t('recover.questionTitle')}>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field
          {...form.bind('answer')}
          label={flow.securityQuestion ?? t('field.securityAnswer')}
          autocomplete="off"
        />
        <SubmitButton busy={form.busy}>{t('common.continue')}</SubmitButton>
      </form>
      <p>
        <a href="#/recover/email">{t('recover.forgotQuestion')}</a>
      </p>
    </Page>
  );
}

export function RecoverEmailPage() {
  const { flow } = useAppState();
  const form = useForm({ email: '' });
  if (!flow.recoveryId) return <StartAgain />;
  const recoveryId = flow.recoveryId;
  const send = () =>
    form.submit([['email', 'field.email']], async () => {
      const { confirmRecoveryEmail } = await request(ConfirmRecoveryEmailDocument, {
        recoveryId,
        email: form.values.email.trim(),
      });
      return follow(confirmRecoveryEmail, 'email');
    });
  return (
    <Page title={t('recover.emailTitle')}>
      <p>{t('recover.emailIntro')}</p>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field {...form.bind('email')} label={t('field.email')} type="email" autocomplete="email" />
        <SubmitButton busy={form.busy}>{t('common.continue')}</SubmitButton>
      </form>
    </Page>
  );
}

export function RecoverDonePage() {
  return (
    <Page title={t('recover.doneTitle')}>
      <Notice kind="success">{t('recover.done')}</Notice>
      <p>
        <a class="button" href="#/sign-in">
          {t('recover.signIn')}
        </a>
      </p>
    </Page>
  );
}
