import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { CODE_DIGITS } from '../../domain/account/rules.js';

/** Six digits from the CSPRNG, leading zeros kept. */
export const newCode = (): string => String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');

/**
 * The code as stored: HMAC under the rotating codes key, bound to its challenge so that one code's
 * hash says nothing about another challenge's.
 */
export const codeHash = (codesKey: Buffer, challengeId: string, code: string): string =>
  createHmac('sha256', codesKey).update(`${challengeId}\u0000${code.trim()}`).digest('hex');

const CHALLENGE_SHAPE = /^([0-9a-f]{32})\.[A-Za-z0-9_-]{16}$/;

/**
 * A challenge id names its account (the derived id, not a personal number) plus 96 random bits, so
 * completeLogin finds the stream without a read model and ids cannot be guessed.
 */
export const newChallengeId = (accountId: string): string =>
  `${accountId}.${randomBytes(12).toString('base64url')}`;

/** The account a challenge id belongs to, or null when it is not one of ours. */
export const accountIdOfChallenge = (challengeId: string): string | null =>
  CHALLENGE_SHAPE.exec(challengeId)?.[1] ?? null;
