import { applicationModel } from '../../domain/application/decide.js';
import type {
  ApplicationEvent,
  ApplicationStatus,
  StatusEmailDelivered,
  StatusEmailDeliveryFailed,
} from '../../domain/application/events.js';
import type { ExistingApplication } from '../../domain/application/state.js';
import { serviceById } from '../../domain/catalogue/services.js';
import { systemActor } from '../../domain/shared/events.js';
import { applicationStream } from '../../domain/shared/streams.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';
import { DeliveryError, type Message } from '../../infra/notify/port.js';
import { KeyedQueue } from '../keyed-queue.js';
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

/** Status e-mails in flight for one Services: one application's in order, different ones concurrently. */
interface StatusMailer {
  queue: KeyedQueue;
  pending: Set<Promise<void>>;
}
const mailers = new WeakMap<object, StatusMailer>();

/**
 * Sends the status e-mails for what a command just appended after the command has answered: a slow
 * or unreachable mail server must not slow every caseworker's action. The outcome is still recorded
 * as an event (notifyApplicant); nothing here throws or rejects unhandled. One application's e-mails
 * go out in the order of its changes. `statusEmailsSettled` waits for them (tests, shutdown).
 */
export function sendStatusEmailsLater(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'senders' | 'store'>,
  applicationId: string,
  appended: RecordedEvent[],
  statusBefore: ApplicationStatus | null,
  trackingCode?: string,
): void {
  let mailer = mailers.get(services);
  if (!mailer) {
    mailer = { queue: new KeyedQueue(), pending: new Set() };
    mailers.set(services, mailer);
  }
  const { pending } = mailer;
  const task = mailer.queue
    .run(applicationId, async () => {
      const { state } = await services.commands.load(applicationStream(applicationId), applicationModel);
      if (state.status !== 'NONE')
        await notifyApplicant(services, state, appended, statusBefore, trackingCode);
    })
    .catch((error: unknown) =>
      services.log.warn(
        { err: error, applicationId },
        'application e-mail not sent or its outcome not recorded',
      ),
    )
    .finally(() => pending.delete(task));
  pending.add(task);
}

/** Resolves once every status e-mail started so far was sent (or failed) and its outcome recorded. */
export async function statusEmailsSettled(services: object): Promise<void> {
  const mailer = mailers.get(services);
  while (mailer && mailer.pending.size > 0) await Promise.allSettled([...mailer.pending]);
}

/**
 * Tells the applicant by e-mail of each status change the command just appended, through the
 * configured e-mail sender (SMTP with SMTP_URL, else the dev outbox), and records each outcome in the
 * application's stream. Delivery failing must not undo or fail the command (its events are
 * committed): the failure is an event and a log line. Status e-mails are not retried (the person sees
 * the status in the portal; a code's e-mail, which is retried, is the one that matters to sign in).
 */
export async function notifyApplicant(
  services: Pick<Services, 'clock' | 'commands' | 'log' | 'senders' | 'store'>,
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
    const outcomes: Array<StatusEmailDelivered | StatusEmailDeliveryFailed> = [];
    for (const change of changes) {
      const mail = statusChangeEmail({ serviceName, ...change, ...(trackingCode ? { trackingCode } : {}) });
      const message: Message = {
        channel: 'EMAIL',
        to,
        ...mail,
        ...(trackingCode ? { secrets: [trackingCode] } : {}),
      };
      outcomes.push(await deliver(services, application.applicationId, change.status, message));
    }
    await services.commands.execute(
      applicationStream(application.applicationId),
      applicationModel,
      () => ({ events: outcomes, result: null }),
      { actor: systemActor('status e-mail'), correlationId: `status-email-${application.applicationId}` },
    );
  } catch (error) {
    services.log.warn(
      { err: error, applicationId: application.applicationId },
      'application e-mail not sent or its outcome not recorded',
    );
  }
}

async function deliver(
  services: Pick<Services, 'clock' | 'log' | 'senders'>,
  applicationId: string,
  status: ApplicationStatus,
  message: Message,
): Promise<StatusEmailDelivered | StatusEmailDeliveryFailed> {
  const at = services.clock.now().toISOString();
  try {
    const receipt = await services.senders.EMAIL.send(message);
    return {
      type: 'StatusEmailDelivered',
      data: { applicationId, status, providerId: receipt.providerId, deliveredAt: at },
    };
  } catch (error) {
    services.log.warn({ err: error, applicationId, status }, 'status e-mail not delivered');
    return {
      type: 'StatusEmailDeliveryFailed',
      data: {
        applicationId,
        status,
        error: error instanceof Error ? error.message : String(error),
        retryable: error instanceof DeliveryError ? error.retryable : true,
        failedAt: at,
      },
    };
  }
}
