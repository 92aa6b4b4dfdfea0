import type { Decision } from '../shared/decider.js';
import type { ApplicationEvent } from './events.js';

export type Refusal =
  /** The caller may not see the application: it answers as if it did not exist. */
  | { kind: 'NOT_FOUND' }
  /** The caller may see it, but its role may not do this. */
  | { kind: 'FORBIDDEN' }
  | { kind: 'REFUSED'; field: string; code: string };

/** ACCEPTED: the events (possibly none: nothing to change) are the answer. */
export type ApplicationOutcome = { kind: 'ACCEPTED' } | Refusal;

export type ApplicationDecision = Decision<ApplicationEvent, ApplicationOutcome>;

export const accepted = (events: ApplicationEvent[]): ApplicationDecision => ({
  events,
  outcome: { kind: 'ACCEPTED' },
});
export const refused = (outcome: Refusal): ApplicationDecision => ({ events: [], outcome });
