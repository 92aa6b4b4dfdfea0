import { PASSWORD_WORK_PER_ACCOUNT_PER_HOUR, PASSWORD_WORK_WINDOW_MS } from '../../domain/account/rules.js';
import type { Services } from '../services.js';
import type { LimitVerdict } from './code-sending.js';

/**
 * The argon2 budget of one account for what its signed-in caller can ask (checking the current
 * password, hashing a new one): asked before the work, so a refused request costs nothing. Sign-in
 * and recovery are bounded elsewhere (per address, by locks, by a code or token checked first).
 */
export async function passwordWorkLimit(
  services: Pick<Services, 'rateLimits'>,
  accountId: string,
  now: Date,
): Promise<LimitVerdict> {
  const hit = await services.rateLimits.hit(
    `argon2:account:${accountId}`,
    PASSWORD_WORK_PER_ACCOUNT_PER_HOUR,
    PASSWORD_WORK_WINDOW_MS,
    now,
  );
  return hit.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: hit.retryAfterSeconds };
}
