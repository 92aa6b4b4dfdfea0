/**
 * Hash-chain links per second (canonical JSON of a sign-in event's link, then SHA-256) beside the
 * floor of the same object through plain JSON.stringify and SHA-256, in the same run, as a ratio.
 * Every event appended computes one link, and an audit recomputes one for every event it verifies.
 *
 *   npm run bench -- hash-chain [--seconds=2]
 */
import { createHash } from 'node:crypto';
import { CHAIN_VERSION, type ChainLink, linkHash } from '../src/app/hash-chain.js';

function perSecond(seconds: number, work: () => unknown): number {
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 1_000; i++) work();
    count += 1_000;
  }
  return count / ((performance.now() - started) / 1000);
}

export async function main(args: string[]) {
  const found = args.find((a) => a.startsWith('--seconds='));
  const seconds = found ? Number(found.slice('--seconds='.length)) : 2;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds must be a positive number');
  // A sign-in's OtpIssued link, as the command handler builds it.
  const link: ChainLink = {
    version: CHAIN_VERSION,
    id: 'c54d7877-588c-4bfb-90fd-1383ccd004a7',
    stream: 'account-b55ac85cf613a1c8d9baa36ec65ee386',
    revision: 60,
    type: 'OtpIssued',
    data: {
      accountId: 'b55ac85cf613a1c8d9baa36ec65ee386',
      challengeId: 'b55ac85cf613a1c8d9baa36ec65ee386.UrOYunaU1w7Sa7AS',
      purpose: 'SIGN_IN',
      channels: ['SMS', 'EMAIL'],
      codeHash: '9f2c1d0e7b5a48c3a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4',
      expiresAt: '2026-11-27T12:15:26.227Z',
      occurredAt: '2026-11-27T12:05:26.227Z',
    },
    prevHash: 'e0995b74822a4e7fa92aaeed2dc111e7c4232bb684d5a119a60c07586a33a06e',
    personalDigest: null,
    actor: { kind: 'CITIZEN', accountId: 'b55ac85cf613a1c8d9baa36ec65ee386', display: 'Bench 1' },
    correlationId: 'e32bfcc7-a2c5-48a8-85af-d4336d9ece2d',
    ip: '127.0.0.1',
  };
  const floor = () => createHash('sha256').update(JSON.stringify(link)).digest('hex');
  // Warm both up first, then alternate, so neither runs on colder code or a quieter moment.
  perSecond(0.5, () => linkHash(link));
  perSecond(0.5, floor);
  const links = [perSecond(seconds / 2, () => linkHash(link)), perSecond(seconds / 2, () => linkHash(link))];
  const floors = [perSecond(seconds / 2, floor), perSecond(seconds / 2, floor)];
  const linkRate = (links[0]! + links[1]!) / 2;
  const floorRate = (floors[0]! + floors[1]!) / 2;
  console.log(`hash-chain links/s:         ${linkRate.toFixed(0)} (${(1e6 / linkRate).toFixed(2)} µs each)`);
  console.log(
    `JSON.stringify + SHA-256/s: ${floorRate.toFixed(0)} (${(1e6 / floorRate).toFixed(2)} µs each)`,
  );
  console.log(`ratio links/floor:          ${((linkRate / floorRate) * 100).toFixed(1)}%`);
}
