import type { AccountDecision, AccountOutcome, CodeRejection } from './outcomes.js';
import type { Channel } from './terms.js';

/** Small pieces every account decision is built from: times as stored, and refusals that append nothing. */
export const BOTH: Channel[] = ['SMS', 'EMAIL'];
export const iso = (d: Date) => d.toISOString();
export const later = (d: Date, ms: number) => new Date(d.getTime() + ms).toISOString();
export const nothing = (outcome: AccountOutcome): AccountDecision => ({ events: [], outcome });
export const codeRejected = (reason: CodeRejection): AccountDecision =>
  nothing({ kind: 'CodeRejected', reason, attemptsLeft: 0 });
