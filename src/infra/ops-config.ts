import { isIP } from 'node:net';
import { z } from 'zod';
import { commaList } from './env-list.js';

/** An address or a CIDR range, IPv4 or IPv6: what METRICS_ALLOW lists. */
function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const max = family === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * The operations variables (metrics, readiness), kept apart from config.ts so that their rules sit
 * together; config.ts spreads them into the one schema, so they are validated like every other.
 */
export const opsEnv = {
  /** `off` leaves /metrics out and records nothing (to measure what the metrics cost). */
  METRICS: z
    .enum(['on', 'off', '1', '0', 'true', 'false'])
    .default('on')
    .transform((v) => v === 'on' || v === '1' || v === 'true'),
  /** A separate port for /metrics; then the main port has no /metrics at all. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * Who may read /metrics on the main port: addresses and CIDR ranges, judged on the client address
   * after TRUST_PROXY (behind a proxy on the same host every connection comes from loopback, which is
   * why the deployment's nginx does not pass /metrics at all).
   */
  METRICS_ALLOW: commaList('127.0.0.0/8,::1/128').refine(
    (entries) => entries.every(isAddressOrRange),
    'must be addresses or CIDR ranges, comma-separated',
  ),
  /** /ready answers 503 while the read models are further behind the log than this. */
  READY_MAX_LAG_MS: z.coerce.number().int().positive().default(5000),
};
