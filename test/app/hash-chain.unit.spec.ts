import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChainLink, linkHash } from '../../src/app/hash-chain.js';
import { canonicalJson } from '../../src/infra/canonical-json.js';

/** The formula as first written (rest and spread): a faster linkHash must give the same bytes forever. */
function reference(link: ChainLink): string {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const { personal: _personal, ...facts } = link.data;
  const covered = {
    stream: link.stream,
    revision: link.revision,
    type: link.type,
    prevHash: link.prevHash,
    facts,
    personalDigest: link.personalDigest,
  };
  if (link.version === 1) return sha(canonicalJson(covered));
  return sha(
    canonicalJson({
      ...covered,
      chain: 2,
      id: link.id,
      actor: link.actor ?? null,
      correlationId: link.correlationId ?? null,
      ip: link.ip ?? null,
    }),
  );
}

const base: ChainLink = {
  version: 2,
  id: 'c54d7877-588c-4bfb-90fd-1383ccd004a7',
  stream: 'account-1',
  revision: 3,
  type: 'OtpIssued',
  data: { b: 2, a: 'ë', personal: { name: 'Drita' } },
  prevHash: '0'.repeat(64),
  personalDigest: 'abc',
  actor: { kind: 'SYSTEM', display: 'System' },
  correlationId: 'c-1',
  ip: '10.0.0.1',
};

describe('linkHash', () => {
  it('gives the hashes events were written with (both formula versions, absent metadata)', () => {
    // Computed before the rewrite that built the covered object member by member.
    expect(linkHash({ ...base, version: 1 })).toBe(
      '3f924ebefbe35a6470203688a93056415214f607979c92d00ac444017aeb3509',
    );
    expect(linkHash(base)).toBe('888ccb393fd0ba3c472f622bee096a0d2c38c05f850d75d98c8b61c1849148fd');
    expect(linkHash({ ...base, actor: undefined, correlationId: undefined, ip: undefined })).toBe(
      '044a4613d88e4ab5c7a5ee2d3a587c466a3495d78dade6af36aca0c496f04119',
    );
  });

  it('property: equals the formula as first written for any facts, personal part and metadata', () => {
    const json = fc.jsonValue({ maxDepth: 2 });
    const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
    const link = fc.record({
      version: fc.constantFrom(1 as const, 2 as const),
      id: fc.uuid(),
      stream: fc.string(),
      revision: fc.nat(),
      type: fc.string(),
      // JSON.parse keeps "__proto__" as an own member; so must the hash.
      data: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('personal', '__proto__')), json, {
        maxKeys: 6,
      }),
      prevHash: hex64,
      personalDigest: fc.option(hex64),
      actor: fc.option(json, { nil: undefined }),
      correlationId: fc.option(fc.string(), { nil: undefined }),
      ip: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }),
    });
    fc.assert(
      fc.property(link, (l) => {
        expect(linkHash(l)).toBe(reference(l));
      }),
      { numRuns: 500 },
    );
  });
});
