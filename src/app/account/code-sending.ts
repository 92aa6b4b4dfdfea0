import { createHmac } from 'node:crypto';
import type { Language } from '../../api/language.js';
import type { CodePurpose } from '../../domain/account/events.js';
import type { Profile } from '../../domain/account/state.js';
import type { Services } from '../services.js';
import { codeHash, newChallengeId, newCode } from './codes.js';
import { codeMessages } from './texts.js';

const HOUR_MS = 3600_000;

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The sending limits: codes per account per hour, and the same per destination (SMS pumping costs
 * real money, and one phone can be given for many registrations). Each counts one hit.
 */
export async function codeSendingLimit(
  services: Services,
  accountId: string,
  to: Pick<Profile, 'email' | 'phone'>,
  now: Date,
): Promise<LimitVerdict> {
  const limit = services.config.LIMIT_CODES_PER_ACCOUNT_PER_HOUR;
  const destination = (d: string) =>
    createHmac('sha256', services.keys.codes).update(d.toLowerCase()).digest('hex').slice(0, 32);
  const decisions = await Promise.all([
    services.rateLimits.hit(`codes:account:${accountId}`, limit, HOUR_MS, now),
    services.rateLimits.hit(`codes:to:${destination(to.phone)}`, limit, HOUR_MS, now),
    services.rateLimits.hit(`codes:to:${destination(to.email)}`, limit, HOUR_MS, now),
  ]);
  const refused = decisions.filter((d) => !d.allowed);
  return refused.length === 0
    ? { allowed: true }
    : { allowed: false, retryAfterSeconds: Math.max(...refused.map((d) => d.retryAfterSeconds)) };
}

/**
 * Sign-in and registration starts per client IP per minute (LIMIT_SIGNIN_PER_IP_PER_MINUTE). Attempts it
 * refuses are deliberately not events: the refusal is about the source, decided before the identifier is
 * read, and writing it to the account named would let anyone append to any person's stream at the rate
 * the limit is there to stop. Attempts that pass it and meet a lock are recorded (SignInRefused).
 */
export async function signInLimit(services: Services, ip: string): Promise<LimitVerdict> {
  const decision = await services.rateLimits.hit(
    `signin:ip:${ip}`,
    services.config.LIMIT_SIGNIN_PER_IP_PER_MINUTE,
    60_000,
    services.clock.now(),
  );
  return decision.allowed
    ? { allowed: true }
    : { allowed: false, retryAfterSeconds: decision.retryAfterSeconds };
}

/** A fresh challenge: its id, the code in clear (only for the messages) and the code's hash. */
export function freshChallenge(services: Services, accountId: string) {
  const challengeId = newChallengeId(accountId);
  const code = newCode();
  return { challengeId, code, codeHash: codeHash(services.keys.codes, challengeId, code) };
}

/** Hands the code to the notifier; delivery outcomes come back as events on the account's stream. */
export function sendCode(
  services: Services,
  delivery: {
    stream: string;
    accountId: string;
    challengeId: string;
    code: string;
    purpose: CodePurpose;
    lang: Language;
    to: Pick<Profile, 'email' | 'phone'>;
    correlationId: string;
  },
) {
  services.notifier.send({
    stream: delivery.stream,
    accountId: delivery.accountId,
    challengeId: delivery.challengeId,
    correlationId: delivery.correlationId,
    messages: codeMessages(delivery.lang, delivery.purpose, delivery.code, delivery.to),
  });
}
