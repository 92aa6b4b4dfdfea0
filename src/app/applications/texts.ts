import type { ApplicationStatus } from '../../domain/application/events.js';
import type { Texts } from '../../domain/shared/language.js';

const STATUS_TEXTS: Record<ApplicationStatus, Texts> = {
  SUBMITTED: { sq: 'u dorëzua', en: 'was submitted' },
  IN_REVIEW: { sq: 'është në shqyrtim', en: 'is in review' },
  INFORMATION_REQUESTED: { sq: 'kërkon informacion shtesë nga ju', en: 'needs more information from you' },
  APPROVED: { sq: 'u miratua', en: 'was approved' },
  REJECTED: { sq: 'u refuzua', en: 'was rejected' },
  WITHDRAWN: { sq: 'u tërhoq', en: 'was withdrawn' },
};

/**
 * The e-mail sent at each status change, in both languages (an e-mail has no Accept-Language; the
 * person reads whichever they know). Notes from the caseworker are included; nothing secret is.
 */
export function statusChangeEmail(input: {
  serviceName: Texts;
  status: ApplicationStatus;
  note: string | null;
  trackingCode?: string;
}): { subject: string; body: string } {
  const status = STATUS_TEXTS[input.status];
  const lines = [
    `Aplikimi juaj për "${input.serviceName.sq}" ${status.sq}.`,
    `Your application for "${input.serviceName.en}" ${status.en}.`,
  ];
  if (input.note) lines.push('', input.note);
  if (input.trackingCode) lines.push('', `Kodi i ndjekjes / Tracking code: ${input.trackingCode}`);
  lines.push('', 'e-Albania');
  return { subject: `e-Albania: ${input.serviceName.sq} / ${input.serviceName.en}`, body: lines.join('\n') };
}
