import { isOpen, type SessionRecord, type SessionStore, type SessionTimes } from './port.js';

/** In-process sessions: the default without REDIS_URL (one instance). */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly byAccount = new Map<string, Set<string>>();

  constructor(private readonly times: SessionTimes) {}

  async create(record: SessionRecord): Promise<void> {
    this.sessions.set(record.sessionId, { ...record });
    const ids = this.byAccount.get(record.accountId) ?? new Set<string>();
    ids.add(record.sessionId);
    this.byAccount.set(record.accountId, ids);
  }

  async touch(sessionId: string, now: Date): Promise<SessionRecord | null> {
    const record = this.sessions.get(sessionId);
    if (!record) return null;
    if (!isOpen(record, now, this.times.idleMs)) {
      await this.end(sessionId);
      return null;
    }
    record.lastSeenAt = now.getTime();
    return { ...record };
  }

  async end(sessionId: string): Promise<void> {
    const record = this.sessions.get(sessionId);
    if (!record) return;
    this.sessions.delete(sessionId);
    const ids = this.byAccount.get(record.accountId);
    ids?.delete(sessionId);
    if (ids?.size === 0) this.byAccount.delete(record.accountId);
  }

  async endAllOf(accountId: string, keep?: string): Promise<void> {
    for (const id of [...(this.byAccount.get(accountId) ?? [])]) if (id !== keep) await this.end(id);
  }

  async close(): Promise<void> {}
}
