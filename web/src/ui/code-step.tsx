// The 6-digit code page every journey has (sign-in, registration, recovery, contact change): one
// field with the standard `one-time-code` autocomplete, where the code went and until when.
import type { ComponentChildren } from 'preact';
import { formatDateTime, t } from '../i18n/i18n';
import { ErrorSummary, Field, type FieldError, Notice, onSubmit, Page, SubmitButton } from './form';

/** The code as typed, without the spaces people put in it ("123 456"). */
export const typedCode = (value: string) => value.replace(/\s/g, '');

interface CodeForm {
  errors: FieldError[];
  busy: boolean;
  bind(field: 'code'): {
    id: string;
    value: string;
    onInput(value: string): void;
    error?: string | undefined;
  };
}

export function CodeStep(props: {
  form: CodeForm;
  send: () => void;
  channels: readonly { to: string }[] | null | undefined;
  expiresAt?: string | null | undefined;
  notice?: string | null;
  submitLabel: string;
  /** What follows the form (a resend button). */
  children?: ComponentChildren;
}) {
  return (
    <Page title={t('code.title')}>
      <ErrorSummary errors={props.form.errors} />
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <p>{t('code.sentTo', { to: (props.channels ?? []).map((c) => c.to).join(', ') })}</p>
      {props.expiresAt && <p>{t('code.validUntil', { until: formatDateTime(props.expiresAt) })}</p>}
      <form onSubmit={onSubmit(props.send)} noValidate>
        <Field
          {...props.form.bind('code')}
          label={t('field.code')}
          hint={t('field.codeHint')}
          autocomplete="one-time-code"
          inputMode="numeric"
        />
        <SubmitButton busy={props.form.busy}>{props.submitLabel}</SubmitButton>
      </form>
      {props.children}
    </Page>
  );
}
