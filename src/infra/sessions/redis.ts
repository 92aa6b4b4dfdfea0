import type { Redis } from 'ioredis';
import { usingRedis } from '../redis.js';
import {
  isOpen,
  type SessionRecord,
  type SessionStore,
  type SessionTimes,
  TOUCH_GRANULARITY_MS,
} from './port.js';

/**
 * Sessions in Redis, shared by every API instance. Expiry is decided with the server clock passed in
 * (the one /dev/clock moves); Redis TTLs only collect what can no longer be used.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly times: SessionTimes,
    private readonly prefix = 'portal:',
  ) {}

  private key(sessionId: string) {
    return `${this.prefix}session:${sessionId}`;
  }
  private accountKey(accountId: string) {
    return `${this.prefix}account-sessions:${accountId}`;
  }

  create(record: SessionRecord): Promise<void> {
    return usingRedis(async () => {
      const ttl = Math.max(1, record.expiresAt - record.startedAt);
      await this.redis
        .multi()
        .set(this.key(record.sessionId), JSON.stringify(record), 'PX', ttl)
        .sadd(this.accountKey(record.accountId), record.sessionId)
        .pexpire(this.accountKey(record.accountId), ttl)
        .exec();
    });
  }

  touch(sessionId: string, now: Date): Promise<SessionRecord | null> {
    // Down: UNAVAILABLE, never 'no session' (usingRedis).
    return usingRedis(async () => {
      const raw = await this.redis.get(this.key(sessionId));
      if (!raw) return null;
      const record = JSON.parse(raw) as SessionRecord;
      if (!isOpen(record, now, this.times.idleMs)) {
        await this.end(sessionId);
        return null;
      }
      if (now.getTime() - record.lastSeenAt >= TOUCH_GRANULARITY_MS) {
        record.lastSeenAt = now.getTime();
        // XX: never bring back a session that was ended between the read and this write.
        await this.redis.set(
          this.key(sessionId),
          JSON.stringify(record),
          'PX',
          Math.max(1, record.expiresAt - now.getTime()),
          'XX',
        );
      }
      return record;
    });
  }

  end(sessionId: string): Promise<void> {
    return usingRedis(async () => {
      const raw = await this.redis.get(this.key(sessionId));
      const multi = this.redis.multi().del(this.key(sessionId));
      if (raw) multi.srem(this.accountKey((JSON.parse(raw) as SessionRecord).accountId), sessionId);
      await multi.exec();
    });
  }

  endAllOf(accountId: string, keep?: string): Promise<void> {
    return usingRedis(async () => {
      const ids = await this.redis.smembers(this.accountKey(accountId));
      const ended = ids.filter((id) => id !== keep);
      if (ended.length === 0) return;
      await this.redis
        .multi()
        .del(...ended.map((id) => this.key(id)))
        .srem(this.accountKey(accountId), ...ended)
        .exec();
    });
  }

  async close(): Promise<void> {}
}
