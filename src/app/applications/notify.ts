import type { ApplicationEvent, ApplicationStatus } from '../../domain/application/events.js';
import type { ExistingApplication } from '../../domain/application/state.js';
import { serviceById } from '../../domain/catalogue/services.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';
import type { Services } from '../services.js';
import { accountEmail } from './applicant-contacts.js';
import { statusChangeEmail } from './texts.js';

/** The status an event moves an application to; null for events that change no status. */
export function statusAfter(
  event: Pick<ApplicationEvent, 'type'>,
  before: ApplicationStatus | null,
): ApplicationStatus | null {
  switch (event.type) {
    case 'ApplicationSubmitted':
      return 'SUBMITTED';
    case 'ApplicationAssigned':
      return before === 'SUBMITTED' ? 'IN_REVIEW' : null;
    case 'InformationRequested':
      return 'INFORMATION_REQUESTED';
    case 'InformationProvided':
      return 'IN_REVIEW';
    case 'ApplicationApproved':
      return 'APPROVED';
    case 'ApplicationRejected':
      return 'REJECTED';
    case 'ApplicationWithdrawn':
      return 'WITHDRAWN';
    default:
      return null;
  }
}

function noteOf(event: RecordedEvent): string | null {
  const data = event.data as { message?: string; reason?: string; note?: string | null };
  return data.message ?? data.reason ?? data.note ?? null;
}

/**
 * Tells the applicant by e-mail of each status change the command just appended. Delivery failing
 * must not undo or fail the command (the events are committed); it is logged.
 */
export async function notifyApplicant(
  services: Services,
  application: ExistingApplication,
  appended: RecordedEvent[],
  statusBefore: ApplicationStatus | null,
  trackingCode?: string,
): Promise<void> {
  let before = statusBefore;
  const changes: Array<{ status: ApplicationStatus; note: string | null }> = [];
  for (const event of appended) {
    const status = statusAfter(event as unknown as ApplicationEvent, before);
    if (status) changes.push({ status, note: noteOf(event) });
    before = status ?? before;
  }
  if (changes.length === 0) return;
  try {
    const to =
      application.applicantEmail ??
      (application.applicant.accountId
        ? await accountEmail(services, application.applicant.accountId)
        : null);
    if (!to) return;
    const service = serviceById(application.serviceId);
    const serviceName = service
      ? { sq: service.nameSq, en: service.nameEn }
      : { sq: application.serviceId, en: application.serviceId };
    for (const change of changes) {
      const mail = statusChangeEmail({ serviceName, ...change, ...(trackingCode ? { trackingCode } : {}) });
      await services.outbox.send({
        channel: 'EMAIL',
        to,
        ...mail,
        ...(trackingCode ? { secrets: [trackingCode] } : {}),
      });
    }
  } catch (error) {
    services.log.warn(
      { err: error, applicationId: application.applicationId },
      'application e-mail not sent',
    );
  }
}
