import { createHmac, randomBytes } from 'node:crypto';
import { codeHash, newCode } from './codes.js';

/**
 * The secrets of recovery, made here and handed to the decider only as hashes: temporary passwords
 * (6 digits from the CSPRNG, HMAC under the codes key bound to their id, so a stored hash says nothing
 * without the key) and change tokens (256 random bits, HMAC under the tokens key).
 */
export const temporaryPasswordHash = (codesKey: Buffer, temporaryPasswordId: string, password: string) =>
  codeHash(codesKey, `temporary-password\u0000${temporaryPasswordId}`, password);

export function freshTemporaryPassword(codesKey: Buffer) {
  const temporaryPasswordId = randomBytes(12).toString('base64url');
  const password = newCode();
  return {
    temporaryPasswordId,
    password,
    passwordHash: temporaryPasswordHash(codesKey, temporaryPasswordId, password),
  };
}

const TOKEN_SHAPE = /^([0-9a-f]{32})\.[A-Za-z0-9_-]{43}$/;

/** The token names its account (the derived id), so setNewPassword finds the stream without a read model. */
export function freshChangeToken(tokensKey: Buffer, accountId: string) {
  const token = `${accountId}.${randomBytes(32).toString('base64url')}`;
  return { token, tokenHash: changeTokenHash(tokensKey, token) };
}

export const changeTokenHash = (tokensKey: Buffer, token: string) =>
  createHmac('sha256', tokensKey).update(`change-token\u0000${token}`).digest('hex');

export const accountIdOfChangeToken = (token: string): string | null => TOKEN_SHAPE.exec(token)?.[1] ?? null;
