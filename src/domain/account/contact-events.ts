import type { DomainEvent } from '../shared/events.js';

/** New contacts: proven by a code sent to them, or checked in person by the helpdesk. */

export type ContactChangeStarted = DomainEvent<
  'ContactChangeStarted',
  {
    accountId: string;
    challengeId: string;
    startedAt: string;
    personal: { email?: string; phone?: string };
  }
>;
/** By the person (challengeId of the code that proved the new contacts) or by the helpdesk (reason). */
export type ContactChanged = DomainEvent<
  'ContactChanged',
  {
    accountId: string;
    challengeId: string | null;
    reason?: string;
    changedAt: string;
    personal: { email?: string; phone?: string };
  }
>;

export type ContactEvent = ContactChangeStarted | ContactChanged;
