import type { AccountCommand } from './commands.js';
import { BOTH, iso, later, nothing } from './decision-parts.js';
import type { AccountEvent, OtpIssued } from './events.js';
import type { AccountDecision, CodeRejection } from './outcomes.js';
import {
  CODE_TTL_MS,
  LOCK_MS,
  MAX_WRONG_CODES,
  WRONG_CODES_BEFORE_LOCK,
  WRONG_CODES_WINDOW_MS,
} from './rules.js';
import { type AccountState, activeLock, type Challenge } from './state.js';
import type { Channel, CodePurpose } from './terms.js';

type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;

/** Whether a code is still worth something: open, not expired, tries left. */
export function codeStillValid(challenge: Challenge | undefined, now: Date): boolean {
  return (
    challenge !== undefined &&
    challenge.status === 'OPEN' &&
    challenge.wrongTries < MAX_WRONG_CODES &&
    now.getTime() < Date.parse(challenge.expiresAt)
  );
}

/** The one builder of a code's event: every code lives CODE_TTL_MS and goes to both contacts unless told. */
export function otpIssued(
  accountId: string,
  challengeId: string,
  purpose: CodePurpose,
  codeHash: string,
  now: Date,
  channels: Channel[] = BOTH,
): OtpIssued {
  return {
    type: 'OtpIssued' as const,
    data: {
      accountId,
      challengeId,
      purpose,
      codeHash,
      channels,
      issuedAt: iso(now),
      expiresAt: later(now, CODE_TTL_MS),
    },
  };
}

type CodeCheck = { ok: true; events: AccountEvent[] } | { ok: false; decision: AccountDecision };

/** The one place a code is judged: once, within 10 minutes, fewer than 5 wrong tries, right purpose. */
export function checkCode(
  state: AccountState,
  challengeId: string,
  codeHash: string,
  purpose: CodePurpose,
  now: Date,
): CodeCheck {
  const challenge = state.challenges[challengeId];
  const reject = (reason: CodeRejection, attemptsLeft: number, events: AccountEvent[] = []): CodeCheck => ({
    ok: false,
    decision: { events, outcome: { kind: 'CodeRejected', reason, attemptsLeft } },
  });
  if (!challenge || challenge.purpose !== purpose || state.accountId === null) return reject('INVALID', 0);
  const left = MAX_WRONG_CODES - challenge.wrongTries;
  if (challenge.status === 'USED') return reject('ALREADY_USED', 0);
  if (left <= 0) return reject('TOO_MANY_ATTEMPTS', 0);
  if (challenge.status === 'VOIDED' || now.getTime() >= Date.parse(challenge.expiresAt))
    return reject('EXPIRED', 0);
  if (challenge.codeHash !== codeHash) {
    const wrongTries = challenge.wrongTries + 1;
    const rejected: AccountEvent = {
      type: 'OtpRejected',
      data: { accountId: state.accountId, challengeId, wrongTries, rejectedAt: iso(now) },
    };
    return wrongTries >= MAX_WRONG_CODES
      ? reject('TOO_MANY_ATTEMPTS', 0, [rejected])
      : reject('INVALID', MAX_WRONG_CODES - wrongTries, [rejected]);
  }
  return {
    ok: true,
    events: [
      { type: 'OtpVerified', data: { accountId: state.accountId, challengeId, verifiedAt: iso(now) } },
    ],
  };
}

/**
 * Wrong codes across challenges: the one that makes WRONG_CODES_BEFORE_LOCK within the window is
 * appended together with the lock it causes, three hours from it, like the third wrong password.
 */
export function lockOnWrongCodes(
  state: AccountState,
  rejection: AccountDecision,
  now: Date,
): AccountDecision {
  const wrong = rejection.events.find((e) => e.type === 'OtpRejected');
  if (!wrong || state.accountId === null) return rejection;
  const since = now.getTime() - WRONG_CODES_WINDOW_MS;
  const recent = state.guard.wrongCodesAt.filter((at) => Date.parse(at) > since).length + 1;
  if (recent < WRONG_CODES_BEFORE_LOCK) return rejection;
  const lockedUntil = later(now, LOCK_MS);
  return {
    events: [
      ...rejection.events,
      {
        type: 'AccountLocked',
        data: {
          accountId: state.accountId,
          lockedAt: iso(now),
          lockedUntil,
          reason: 'TOO_MANY_WRONG_CODES',
        },
      },
    ],
    outcome: { kind: 'Locked', lockedUntil },
  };
}

export function resendCode(state: AccountState, c: Of<'ResendCode'>): AccountDecision {
  const challenge = state.challenges[c.challengeId];
  const rejected = (reason: CodeRejection) => nothing({ kind: 'CodeRejected', reason, attemptsLeft: 0 });
  if (!challenge || state.accountId === null) return rejected('INVALID');
  if (challenge.status === 'USED') return rejected('ALREADY_USED');
  if (challenge.wrongTries >= MAX_WRONG_CODES) return rejected('TOO_MANY_ATTEMPTS');
  // A recovery's code is resent only while that recovery is the newest one.
  if (challenge.purpose === 'RECOVERY' && state.recovery?.recoveryId !== c.challengeId)
    return rejected('EXPIRED');
  // While locked no code goes out (but recovery stays open during a lock); an expired challenge means
  // starting again.
  if (
    challenge.status === 'VOIDED' ||
    c.now.getTime() >= Date.parse(challenge.expiresAt) ||
    (challenge.purpose !== 'RECOVERY' &&
      challenge.purpose !== 'TEMPORARY_SIGN_IN' &&
      activeLock(state, c.now))
  )
    return rejected('EXPIRED');
  // Resent on the challenge's own channels: a contact change's code goes only to the new contacts.
  const otp = otpIssued(
    state.accountId,
    c.challengeId,
    challenge.purpose,
    c.codeHash,
    c.now,
    challenge.channels,
  );
  return {
    events: [otp],
    outcome: {
      kind: 'CodeSent',
      challengeId: c.challengeId,
      channels: challenge.channels,
      expiresAt: otp.data.expiresAt,
    },
  };
}
