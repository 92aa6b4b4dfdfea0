import type { Refusal } from '../../domain/application/outcomes.js';

/** What applying and acting answer: the application and the log position the read models will reach. */
export type ApplicationOutcome =
  | { kind: 'ACCEPTED'; applicationId: string; position: number | null; trackingCode?: string }
  | Refusal;
