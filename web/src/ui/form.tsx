// The form pieces every page uses, after the GOV.UK Design System: a label on every input, the
// error next to its field and listed at the top (focused, announced) with a link to each field.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { type Key, t } from '../i18n/i18n';

export interface FieldError {
  field?: string;
  message: string;
}

export function ErrorSummary({ errors }: { errors: FieldError[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length > 0) box.current?.focus();
  }, [errors]);
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={box}>
      <h2 id="error-summary-title">{t('errors.title')}</h2>
      <ul>
        {errors.map((error) => (
          <li key={`${error.field}-${error.message}`}>
            {error.field ? (
              <a
                href={`#${error.field}`}
                onClick={(event) => {
                  // Hash routing owns the URL's fragment: move the focus instead of navigating.
                  event.preventDefault();
                  document.getElementById(error.field ?? '')?.focus();
                }}
              >
                {error.message}
              </a>
            ) : (
              error.message
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: string;
  autocomplete?: string;
  inputMode?: JSX.HTMLAttributes<HTMLInputElement>['inputMode'];
  multiline?: boolean;
}

export function Field(props: FieldProps) {
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id: props.id,
    name: props.id,
    value: props.value,
    'aria-describedby': described || undefined,
    'aria-invalid': props.error ? true : undefined,
    class: props.error ? 'input input-error' : 'input',
  };
  return (
    <div class={props.error ? 'field field-error' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-message" id={`${props.id}-error`}>
          <span class="visually-hidden">{t('errors.prefix')} </span>
          {props.error}
        </p>
      )}
      {props.multiline ? (
        <textarea {...common} rows={4} onInput={(e) => props.onInput(e.currentTarget.value)} />
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          autocomplete={props.autocomplete ?? 'off'}
          inputMode={props.inputMode}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
    </div>
  );
}

/** A page: its title in the tab, and its heading focused when it opens (screen readers hear it). */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} - ${t('app.name')}`;
    heading.current?.focus();
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'warning';
  children: ComponentChildren;
}) {
  return (
    <div class={`notice notice-${kind}`} role="status">
      {children}
    </div>
  );
}

/** Words for an error the API threw: its own message (already in the chosen language) or ours. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return t('errors.network');
    if (error.code === 'UNAUTHENTICATED') return t('errors.unauthenticated');
    if (error.message) return error.message;
  }
  return t('errors.unexpected');
}

/**
 * A form's values, its errors and whether it is being sent. `idPrefix` keeps the inputs' ids unique
 * when two forms with a field of the same name share a page (a label and an error link must reach
 * their own input); the errors it returns name those ids, as the ErrorSummary links to them.
 */
export function useForm<T extends Record<string, string>>(initial: T, idPrefix = '') {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const bind = (field: keyof T & string) => ({
    id: `${idPrefix}${field}`,
    value: values[field] ?? '',
    onInput: (value: string) => setValues((old) => ({ ...old, [field]: value })),
    error: errors.find((e) => e.field === field)?.message,
  });
  /** Runs `action` unless a required field is empty (each gets its own error). */
  async function submit(
    required: readonly (readonly [keyof T & string, Key])[],
    /** Resolves to the errors to show, or to nothing when the page moves on. */
    // biome-ignore lint/suspicious/noConfusingVoidType: an action that moves on simply returns
    action: () => Promise<FieldError[] | void>,
  ) {
    const missing = required
      .filter(([field]) => !(values[field] ?? '').trim())
      .map(([field, label]) => ({ field, message: t('errors.required', { field: t(label) }) }));
    if (missing.length > 0) return setErrors(missing);
    setBusy(true);
    try {
      setErrors((await action()) ?? []);
    } catch (error) {
      setErrors([{ message: errorText(error) }]);
    } finally {
      setBusy(false);
    }
  }
  const withIds = idPrefix
    ? errors.map((e) => (e.field ? { ...e, field: `${idPrefix}${e.field}` } : e))
    : errors;
  return { values, setValues, errors: withIds, setErrors, busy, bind, submit };
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" class="button" disabled={busy} aria-disabled={busy}>
      {children}
    </button>
  );
}

export function onSubmit(handler: () => void) {
  return (event: Event) => {
    event.preventDefault();
    handler();
  };
}
