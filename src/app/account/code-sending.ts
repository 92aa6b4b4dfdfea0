import { createHmac } from 'node:crypto';
import type { CodePurpose } from '../../domain/account/events.js';
import type { Profile } from '../../domain/account/state.js';
import type { Language } from '../../domain/shared/language.js';
import type { RateLimitDecision } from '../../infra/rate-limit/port.js';
import type { Services } from '../services.js';
import { codeHash, newChallengeId, newCode } from './codes.js';
import { codeMessages } from './texts.js';

const HOUR_MS = 3600_000;

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Which hourly budget of an account a message draws on. SIGN_IN: codes only someone with the password
 * (or a temporary one) can cause. RECOVERY: recovery codes (starts and resends), which anyone who
 * knows the identifier can cause (see recoveryStartLimit); kept apart so that nobody can spend a
 * person's sign-in codes by starting recoveries. PROVEN_RECOVERY: the temporary password after a
 * proven answer or e-mail, which only someone who passed the recovery code can spend. HELPDESK: the
 * helpdesk's regenerations, which anonymous spending never meets. NEW_CONTACTS: registration and
 * contact change, to contacts not yet proven.
 */
export type SendingBudget = 'SIGN_IN' | 'RECOVERY' | 'PROVEN_RECOVERY' | 'HELPDESK' | 'NEW_CONTACTS';

const BUDGET_KEY: Record<SendingBudget, string> = {
  SIGN_IN: 'codes:account',
  RECOVERY: 'codes:recovery',
  PROVEN_RECOVERY: 'codes:recovery-proven',
  HELPDESK: 'codes:helpdesk',
  NEW_CONTACTS: 'codes:new-contacts',
};

/**
 * Messages to the account's own proven contacts (sign-in, resend, password change, recovery, helpdesk):
 * only the account's budget. A per-destination limit here would be shared by every account that names
 * the same phone, so anyone could register their own number with a person's phone, spend it, and keep
 * that person's sign-in codes from going out.
 */
export async function provenContactsLimit(
  services: Pick<Services, 'config' | 'rateLimits'>,
  accountId: string,
  budget: Exclude<SendingBudget, 'NEW_CONTACTS' | 'RECOVERY'>,
  now: Date,
): Promise<LimitVerdict> {
  const limit = services.config.LIMIT_CODES_PER_ACCOUNT_PER_HOUR;
  return verdict([await services.rateLimits.hit(`${BUDGET_KEY[budget]}:${accountId}`, limit, HOUR_MS, now)]);
}

/**
 * Recovery codes (starts and resends), which anyone knowing the identifier can cause: a few per client
 * IP per account, and a higher cap per account over all addresses (SMS costs money; the person's inbox
 * is not to be flooded). One address cannot spend the account's hour, so the owner, from their own
 * address, still gets a code; the temporary password after a proven answer and the helpdesk's
 * regeneration draw on budgets of their own (PROVEN_RECOVERY, HELPDESK).
 *
 * Residual risk, accepted: a newer recovery must void an older one (the portal's rule), so an attacker
 * with many addresses can still void the owner's recovery in progress (each start costs them one of 3
 * per address) and, with 7 or more addresses, spend the per-account cap of the hour. The owner then
 * waits for the window or goes to the helpdesk, whose regeneration this spending never reaches. Every
 * start is an event on the account's stream, so such a campaign is visible.
 */
export async function recoveryStartLimit(
  services: Pick<Services, 'config' | 'rateLimits'>,
  accountId: string,
  ip: string,
  now: Date,
): Promise<LimitVerdict> {
  const {
    LIMIT_RECOVERY_PER_IP_PER_ACCOUNT_PER_HOUR: perIp,
    LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: perAccount,
  } = services.config;
  // The address first: a refused address spends nothing of the account's cap.
  const fromIp = await services.rateLimits.hit(
    `${BUDGET_KEY.RECOVERY}:ip:${accountId}:${ip}`,
    perIp,
    HOUR_MS,
    now,
  );
  if (!fromIp.allowed) return verdict([fromIp]);
  return verdict([
    await services.rateLimits.hit(`${BUDGET_KEY.RECOVERY}:${accountId}`, perAccount, HOUR_MS, now),
  ]);
}

/**
 * Codes to contacts not yet proven (registration, contact change): the account's budget, and each
 * destination's, because one phone can be given for many registrations (SMS pumping costs real money).
 * The destination key is apart from every proven-contact budget, so spending it blocks only other
 * unproven uses of that phone or address, never its owner's sign-in.
 */
export async function newContactsLimit(
  services: Pick<Services, 'config' | 'keys' | 'rateLimits'>,
  accountId: string,
  destinations: string[],
  now: Date,
): Promise<LimitVerdict> {
  const limit = services.config.LIMIT_CODES_PER_ACCOUNT_PER_HOUR;
  const destination = (d: string) =>
    createHmac('sha256', services.keys.codes).update(d.toLowerCase()).digest('hex').slice(0, 32);
  return verdict(
    await Promise.all([
      services.rateLimits.hit(`${BUDGET_KEY.NEW_CONTACTS}:${accountId}`, limit, HOUR_MS, now),
      ...destinations.map((d) =>
        services.rateLimits.hit(`codes:unproven-to:${destination(d)}`, limit, HOUR_MS, now),
      ),
    ]),
  );
}

function verdict(decisions: RateLimitDecision[]): LimitVerdict {
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
export async function signInLimit(
  services: Pick<Services, 'clock' | 'config' | 'rateLimits'>,
  ip: string,
): Promise<LimitVerdict> {
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
export function freshChallenge(services: Pick<Services, 'keys'>, accountId: string) {
  const challengeId = newChallengeId(accountId);
  const code = newCode();
  return { challengeId, code, codeHash: codeHash(services.keys.codes, challengeId, code) };
}

/** Hands the code to the notifier; delivery outcomes come back as events on the account's stream. */
export function sendCode(
  services: Pick<Services, 'notifier'>,
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
