import { describe, expect, it } from 'vitest';
import { chainFormula } from '../../src/app/audit/chain-formula.js';
import { type ChainedEvent, ChainVerifier, type Witness } from '../../src/domain/audit/chain-verifier.js';
import { LogBuilder, operatorCheck, rehash, witnessOf } from './log-builder.js';

function verify(events: ChainedEvent[], witness?: Witness) {
  const verifier = new ChainVerifier(chainFormula, { checkSignature: operatorCheck });
  for (const event of events) if (verifier.check(event)) break;
  return verifier.finish(witness);
}

/** Two checkpoints; account-a's last event before the second one is its tail (position 7). */
function sampleLog() {
  const log = new LogBuilder();
  log.append('account-a', 'AccountRegistered', { accountId: 'a', personal: { email: 'a@example.al' } }); // 1
  log.append('account-b', 'AccountRegistered', { accountId: 'b', personal: { email: 'b@example.al' } }); // 2
  log.append('account-a', 'PasswordRejected', { attempt: 1 }); // 3
  log.append('account-b', 'PasswordRejected', { attempt: 1 }); // 4
  log.append('account-b', 'PasswordAccepted', {}); // 5
  log.checkpoint(); // 6
  log.append('account-a', 'PasswordRejected', { attempt: 2 }); // 7
  log.append('account-b', 'SessionStarted', { sessionId: 's1' }); // 8
  const last = log.checkpoint(); // 9
  log.append('account-b', 'SessionEnded', { sessionId: 's1' }); // 10
  const witness: Witness = witnessOf(last);
  return { events: log.events, witness };
}

const at = (events: ChainedEvent[], position: number) => events.findIndex((e) => e.position === position);

describe('the chain verifier', () => {
  it('accepts an untouched log with its checkpoints and witness', () => {
    const { events, witness } = sampleLog();
    expect(verify(events, witness)).toMatchObject({
      ok: true,
      checkedEvents: 10,
      checkpoints: 2,
      firstBrokenPosition: null,
    });
  });

  it('names an event whose facts changed', () => {
    const { events, witness } = sampleLog();
    events[at(events, 4)] = { ...events[at(events, 4)]!, data: { attempt: 2 } };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 4, checkedEvents: 3 });
  });

  it('names an event whose personal part changed, even with its link hash recomputed', () => {
    const { events, witness } = sampleLog();
    const edited = { ...events[0]!, data: { accountId: 'a', personal: { email: 'x@example.al' } } };
    events[0] = { ...edited, metadata: { ...edited.metadata } };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 1 });
  });

  it('accepts an event whose personal part was forgotten (only the digest remains)', () => {
    const { events, witness } = sampleLog();
    events[0] = { ...events[0]!, data: { accountId: 'a' } };
    expect(verify(events, witness).ok).toBe(true);
  });

  it('names an event whose type changed', () => {
    const { events, witness } = sampleLog();
    events[at(events, 5)] = { ...events[at(events, 5)]!, type: 'PasswordRejected' };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 5 });
  });

  it('names the first of two events of one stream that were swapped', () => {
    const { events, witness } = sampleLog();
    const [p, q] = [at(events, 4), at(events, 5)];
    const first = events[p]!;
    const second = events[q]!;
    events[p] = { ...second, position: first.position, revision: first.revision };
    events[q] = { ...first, position: second.position, revision: second.revision };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 4 });
  });

  it('names a removed event by its own position when a checkpoint recorded it as its stream head', () => {
    const { events, witness } = sampleLog();
    events.splice(at(events, 7), 1);
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 7 });
  });

  it('names a removed event inside a stream at the next event of that stream', () => {
    const { events, witness } = sampleLog();
    events.splice(at(events, 4), 1);
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 5 });
  });

  it('catches a removal even when the attacker re-chained the rest of the stream', () => {
    const { events, witness } = sampleLog();
    // Remove position 4 and re-link position 5 to position 2, at revision 1: the chain itself holds.
    const five = events[at(events, 5)]!;
    const relinked = rehash({
      ...five,
      revision: 1,
      metadata: { ...five.metadata, prevHash: events[1]!.metadata.hash },
    });
    events.splice(at(events, 4), 2, relinked);
    const result = verify(events, witness);
    expect(result.ok).toBe(false);
    expect(result.firstBrokenPosition).toBe(5);
  });

  it('names the first missing position when the log was truncated before its latest checkpoint', () => {
    const { events, witness } = sampleLog();
    const truncated = events.filter((e) => e.position <= 7);
    expect(verify(truncated, witness)).toMatchObject({ ok: false, firstBrokenPosition: 8 });
    // Without the witness, a prefix of a valid log looks valid: what the witness is for.
    expect(verify(truncated).ok).toBe(true);
  });

  it('names a checkpoint that was edited', () => {
    const { events, witness } = sampleLog();
    const checkpoint = events[at(events, 6)]!;
    events[at(events, 6)] = { ...checkpoint, data: { ...checkpoint.data, eventCount: 4 } };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 6 });
  });

  it('names a checkpoint edited and re-hashed by the first position it no longer matches', () => {
    const { events, witness } = sampleLog();
    const checkpoint = events[at(events, 6)]!;
    events[at(events, 6)] = rehash({ ...checkpoint, data: { ...checkpoint.data, eventCount: 4 } });
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 6 });
  });

  it.each([
    ['actor', (m: Record<string, unknown>) => ({ ...m, actor: { kind: 'STAFF', display: 'Someone else' } })],
    ['ip', (m: Record<string, unknown>) => ({ ...m, ip: '198.51.100.1' })],
    ['ip removed', ({ ip: _ip, ...m }: Record<string, unknown>) => m],
    ['correlationId', (m: Record<string, unknown>) => ({ ...m, correlationId: 'other-request' })],
  ] as const)('names an event whose %s was rewritten in its metadata', (_field, edit) => {
    const { events, witness } = sampleLog();
    const four = events[at(events, 4)]!;
    events[at(events, 4)] = { ...four, metadata: edit(four.metadata) };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 4, checkedEvents: 3 });
  });

  it('names an event whose id was replaced', () => {
    const { events, witness } = sampleLog();
    events[at(events, 4)] = { ...events[at(events, 4)]!, id: '00000000-0000-4000-8000-999999999999' };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 4 });
  });

  it('names an event passed off as written with the old formula (chain version removed)', () => {
    const { events, witness } = sampleLog();
    const { chain: _chain, ...metadata } = events[at(events, 4)]!.metadata;
    events[at(events, 4)] = { ...events[at(events, 4)]!, metadata };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 4 });
  });

  it('names an event that claims a formula it does not know', () => {
    const { events, witness } = sampleLog();
    const four = events[at(events, 4)]!;
    events[at(events, 4)] = { ...four, metadata: { ...four.metadata, chain: 3 } };
    const result = verify(events, witness);
    expect(result).toMatchObject({ ok: false, firstBrokenPosition: 4 });
    expect(result.problem).toContain('unknown hash-chain formula');
  });

  it('verifies events written with the old formula (no chain version) beside new ones in one stream', () => {
    const log = new LogBuilder();
    log.append('account-a', 'AccountRegistered', { accountId: 'a' }, { version: 1 }); // 1
    log.append('account-a', 'PasswordRejected', { attempt: 1 }, { version: 1 }); // 2
    log.checkpoint(); // 3
    log.append('account-a', 'PasswordRejected', { attempt: 2 }); // 4
    const last = log.checkpoint(); // 5
    const witness: Witness = witnessOf(last);
    expect(log.events[0]!.metadata.chain).toBeUndefined();
    expect(log.events[3]!.metadata.chain).toBe(2);
    expect(verify(log.events, witness)).toMatchObject({ ok: true, checkedEvents: 5 });
    // The old formula never covered metadata: that is its known limit, not something to pretend about.
    const old = log.events[1]!;
    const events = [...log.events];
    events[1] = { ...old, metadata: { ...old.metadata, ip: '198.51.100.1' } };
    expect(verify(events, witness).ok).toBe(true);
    // Its facts it did cover.
    events[1] = { ...old, data: { attempt: 9 } };
    expect(verify(events, witness)).toMatchObject({ ok: false, firstBrokenPosition: 2 });
  });
});
