import { createHmac, randomBytes } from 'node:crypto';

/**
 * Open sessions, shared by every instance (Redis) or in process. The account stream records each
 * session's start and end; this store adds what must not cost an event per request: the last-seen
 * time behind the idle expiry. Keyed by the session id, a keyed hash of the token, never the token.
 */
export interface SessionRecord {
  sessionId: string;
  accountId: string;
  startedAt: number;
  lastSeenAt: number;
  /** Absolute end, epoch ms. */
  expiresAt: number;
}

export interface SessionStore {
  create(record: SessionRecord): Promise<void>;
  /** The session if still open at `now` (idle and absolute expiry), marking it seen; null otherwise. */
  touch(sessionId: string, now: Date): Promise<SessionRecord | null>;
  end(sessionId: string): Promise<void>;
  /** Ends every session of an account except `keep` (a password change keeps the caller's). */
  endAllOf(accountId: string, keep?: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionTimes {
  idleMs: number;
}

/** 256 random bits, URL-safe: what the person holds. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** What the portal keeps instead of the token. */
export const sessionIdFor = (sessionsKey: Buffer, token: string): string =>
  createHmac('sha256', sessionsKey).update(token).digest('hex');

/** Open at `now`: before the absolute end and seen within the idle window. */
export function isOpen(record: SessionRecord, now: Date, idleMs: number): boolean {
  const at = now.getTime();
  return at < record.expiresAt && at - record.lastSeenAt < idleMs;
}

/** Last-seen is rewritten at most this often, so a busy session does not write on every request. */
export const TOUCH_GRANULARITY_MS = 30_000;
