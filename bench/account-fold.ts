/**
 * The account fold over sign-ins (PasswordAccepted, OtpIssued, OtpDelivered, OtpVerified,
 * SessionStarted), in microseconds per sign-in, as a server meets them (every challenge and session id
 * new) beside the same events replayed with ids already seen (V8's best case: every object shape known),
 * in the same run, as a ratio. A server folds each sign-in's events once, when they are appended.
 *
 *   npm run bench -- account-fold [--signins=50] [--rounds=5]
 *
 * --signins is how many sign-ins one account holds (sessions last 12 h, so this many stay in the fold).
 * The ratio is what new ids cost: a table keyed by ids built as an object literal grows a new hidden
 * class for each new id. Measured at 50 sign-ins: with literals 41 us (new ids) against 22 us (seen),
 * 1.84x; with null-prototype tables 17 against 11 us, 1.55x.
 */
import { randomUUID } from 'node:crypto';
import type { AccountEvent } from '../src/domain/account/events.js';
import { evolve } from '../src/domain/account/evolve.js';
import { type AccountState, initialState } from '../src/domain/account/state.js';
import { numberOption } from './_options.js';

const accountId = 'b55ac85cf613a1c8d9baa36ec65ee386';
const at = (ms: number) => new Date(1_800_000_000_000 + ms).toISOString();

function registered(): AccountState {
  const events: AccountEvent[] = [
    {
      type: 'AccountRegistered',
      data: {
        accountId,
        kind: 'CITIZEN',
        registeredAt: at(0),
        passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${'s'.repeat(22)}$${'h'.repeat(43)}`,
        securityAnswerHash: `$argon2id$v=19$m=19456,t=2,p=1$${'s'.repeat(22)}$${'a'.repeat(43)}`,
        personal: {
          identifier: 'J00101999W',
          displayName: 'Bench Person',
          email: 'bench@example.al',
          phone: '+355691234567',
          securityQuestion: 'Q?',
        },
      },
    },
    {
      type: 'RegistrationConfirmed',
      data: { accountId, challengeId: `${accountId}.r`, channels: ['SMS', 'EMAIL'], confirmedAt: at(1) },
    },
  ];
  return events.reduce(evolve, initialState());
}

function signInEvents(i: number, ids: { challengeId: string; sessionId: string }): AccountEvent[] {
  const now = at(60_000 * (i + 1));
  return [
    { type: 'PasswordAccepted', data: { accountId, acceptedAt: now } },
    {
      type: 'OtpIssued',
      data: {
        accountId,
        challengeId: ids.challengeId,
        purpose: 'SIGN_IN',
        codeHash: 'c'.repeat(43),
        channels: ['SMS', 'EMAIL'],
        issuedAt: now,
        expiresAt: at(60_000 * (i + 1) + 600_000),
      },
    },
    {
      type: 'OtpDelivered',
      data: {
        accountId,
        challengeId: ids.challengeId,
        channel: 'SMS',
        providerId: 'dev',
        attempt: 1,
        deliveredAt: now,
      },
    },
    { type: 'OtpVerified', data: { accountId, challengeId: ids.challengeId, verifiedAt: now } },
    {
      type: 'SessionStarted',
      data: {
        accountId,
        sessionId: ids.sessionId,
        startedAt: now,
        expiresAt: at(60_000 * (i + 1) + 12 * 3_600_000),
      },
    },
  ];
}

export async function main(args: string[]) {
  const signIns = numberOption(args, 'signins', 50, { integer: true });
  const rounds = numberOption(args, 'rounds', 5, { integer: true });
  const accounts = 200;
  const start = registered();
  const fresh = () => ({ challengeId: `${accountId}.${randomUUID()}`, sessionId: randomUUID() });
  const reused = Array.from({ length: signIns }, fresh);
  // The events are made before the clock starts: only the fold is timed.
  const make = (ids: (i: number) => { challengeId: string; sessionId: string }) =>
    Array.from({ length: accounts }, () =>
      Array.from({ length: signIns }, (_, i) => signInEvents(i, ids(i))),
    );
  const time = (batches: AccountEvent[][][]) => {
    const started = performance.now();
    for (const account of batches) {
      let state = start;
      for (const events of account) for (const event of events) state = evolve(state, event);
    }
    return ((performance.now() - started) * 1000) / (accounts * signIns);
  };
  const newIds: number[] = [];
  const seenIds: number[] = [];
  for (let round = 0; round < rounds; round++) {
    newIds.push(time(make(() => fresh())));
    seenIds.push(time(make((i) => reused[i]!)));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `account fold, ${signIns} sign-ins per account, ${accounts} accounts, median of ${rounds} rounds`,
  );
  console.log(`ids already seen (baseline): ${median(seenIds).toFixed(2)} us per sign-in`);
  console.log(`new ids (as a server):       ${median(newIds).toFixed(2)} us per sign-in`);
  console.log(`ratio new/seen:              ${(median(newIds) / median(seenIds)).toFixed(2)}x`);
}
