// PDF inputs: the API's rules (PDF by content, at most 5 MiB) checked in the browser first for a
// quick answer; the server checks again and its refusal is shown when it refuses anyway.
import { upload } from '../api/client';
import { t } from '../i18n/i18n';
import type { FieldError } from './form';

export const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Why this file cannot be sent, or null. The server's own test of a PDF, repeated here for a quick
 * answer: it starts with "%PDF-1." and has "%%EOF" within its last 1,024 bytes.
 */
export async function fileProblem(file: File): Promise<string | null> {
  if (file.size > MAX_BYTES) return t('files.tooLarge', { name: file.name });
  const text = async (from: number, to: number) =>
    String.fromCharCode(...new Uint8Array(await file.slice(from, to).arrayBuffer()));
  const head = await text(0, 7);
  const tail = await text(Math.max(0, file.size - 1024), file.size);
  if (head !== '%PDF-1.' || !tail.includes('%%EOF')) return t('files.notPdf', { name: file.name });
  return null;
}

export function FileField({ id, label, error }: { id: string; label: string; error?: string | undefined }) {
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {t('files.hint')}
      </p>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">{t('errors.prefix')} </span>
          {error}
        </p>
      )}
      <input
        id={id}
        name={id}
        type="file"
        accept="application/pdf,.pdf"
        class="file-input"
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}

/** Checks then uploads the files of the inputs `ids` (each required): document ids, or the errors. */
export async function uploadAll(
  ids: string[],
): Promise<{ documentIds: string[] } | { errors: FieldError[] }> {
  const files: File[] = [];
  const errors: FieldError[] = [];
  for (const id of ids) {
    const file = (document.getElementById(id) as HTMLInputElement | null)?.files?.[0];
    if (!file) {
      errors.push({ field: id, message: t('files.missing') });
      continue;
    }
    const problem = await fileProblem(file);
    if (problem) errors.push({ field: id, message: problem });
    files.push(file);
  }
  if (errors.length > 0) return { errors };
  const documentIds: string[] = [];
  for (const [index, file] of files.entries()) {
    try {
      documentIds.push((await upload(file)).documentId);
    } catch (error) {
      const message = error instanceof Error && error.message ? error.message : t('errors.unexpected');
      return {
        errors: [{ field: ids[index], message: t('files.refused', { name: file.name, reason: message }) }],
      };
    }
  }
  return { documentIds };
}
