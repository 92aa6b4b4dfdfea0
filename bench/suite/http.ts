import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuByThread, machineBusyMs, processSplit } from '../_thread-cpu.js';
import {
  APPLICATION_FIELDS,
  apply,
  eachLimited,
  type Person,
  Portal,
  person,
  register,
  signIn,
} from './portal.js';
import {
  machineNow,
  meetsRatio,
  met,
  percentile,
  type RatioGoal,
  type Row,
  ratioGoalText,
  ratioOf,
  row,
} from './report.js';
import { type Sinks, startServer, startSinks } from './server.js';
import type { Step } from './step.js';

const here = dirname(fileURLToPath(import.meta.url));
const CONCURRENT_SIGN_INS = 16;
/** Sign-ins against argon2 alone; GraphQL reads against the same JSON from memory. */
const SIGN_IN_GOAL: RatioGoal = { atLeast: 90, as: '%' };
const READ_GOAL: RatioGoal = { atLeast: 60, as: '%' };

/** argon2id verifications/s with the server's parameters, in a process of its own sized like the server. */
async function argon2Rate(seconds: number): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(here, 'argon2-rate.mjs'), String(CONCURRENT_SIGN_INS), String(seconds), '19456', '2'],
    {
      env: { ...process.env, UV_THREADPOOL_SIZE: String(availableParallelism()) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const { count, seconds: took } = JSON.parse(out) as { count: number; seconds: number };
  return count / took;
}

/** Sign-ins by `workers` closed loops for `seconds`, each worker over its own share of the people. */
async function signInLoop(portal: Portal, sinks: Sinks, people: Person[], workers: number, seconds: number) {
  const completeMs: number[] = [];
  let done = 0;
  const failures: string[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const mine = people.filter((_, i) => i % workers === w);
      for (let turn = 0; performance.now() < end; turn++) {
        try {
          const result = await signIn(portal, sinks, mine[turn % mine.length]!);
          completeMs.push(result.completeMs);
          done += 1;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }),
  );
  return { perSecond: (done * 1000) / (performance.now() - started), done, failures, completeMs };
}

/** Sign-ins started at a fixed rate (open loop), each on a person not already signing in. */
async function signInsAtRate(portal: Portal, sinks: Sinks, people: Person[], rate: number, seconds: number) {
  const free = [...people];
  const completeMs: number[] = [];
  const failures: string[] = [];
  let skipped = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let n = 0; ; n++) {
    const at = started + (n * 1000) / rate;
    if (at > started + seconds * 1000) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const p = free.shift();
    if (!p) {
      skipped += 1;
      continue;
    }
    const run = signIn(portal, sinks, p)
      .then((r) => {
        completeMs.push(r.completeMs);
      })
      .catch((error: Error) => {
        failures.push(error.message);
      })
      .finally(() => {
        free.push(p);
        inFlight.delete(run);
      });
    inFlight.add(run);
  }
  await Promise.all(inFlight);
  return { completeMs, failures, skipped };
}

/**
 * Where the cores went while something ran: the server's event loop, its libuv pool (argon2) and V8's
 * helpers, this process (load generation and the loopback senders) and the rest of the machine (the
 * kernel, other processes), and what stayed idle; per item done, in core-milliseconds, so it reads
 * beside argon2's cost of one verification.
 */
function cpuUse(serverPid: number) {
  const threads = cpuByThread(serverPid);
  const own = process.cpuUsage();
  const machine = machineBusyMs();
  const started = performance.now();
  return {
    perItem(items: number): string {
      const wallMs = performance.now() - started;
      const server = processSplit(serverPid, threads, cpuByThread(serverPid), availableParallelism());
      const ownUse = process.cpuUsage(own);
      const ownMs = (ownUse.user + ownUse.system) / 1000;
      const busyMs = machineBusyMs() - machine;
      const serverMs = server.eventLoop.cpuMs + server.pool.cpuMs + server.other.cpuMs;
      const each = (ms: number) => (items > 0 ? (ms / items).toFixed(1) : '-');
      return [
        `server pool ${each(server.pool.cpuMs)} ms`,
        `server event loop ${each(server.eventLoop.cpuMs)} ms`,
        `server GC and compiler ${each(server.other.cpuMs)} ms`,
        `load generator and senders ${each(ownMs)} ms`,
        `rest of the machine ${each(Math.max(0, busyMs - serverMs - ownMs))} ms`,
        `idle ${each(Math.max(0, wallMs * availableParallelism() - busyMs))} ms`,
      ].join(', ');
    },
  };
}

const summary = (failures: string[]) => {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].map(([f, n]) => `${n}x ${f}`).join('; ');
};

/** Sign-in, completeLogin latency, GraphQL reads and the mixed load against one production server. */
export async function httpRows(step: Step, dir: string, registryUrl: string): Promise<Row[]> {
  const { quick } = step;
  const rows: Row[] = [];
  const sinks = await startSinks();
  const admin = person(0, 9);
  const caseworker = person(1, 9);
  const dataDir = join(dir, 'http');
  mkdirSync(dataDir, { recursive: true });
  step.progress(
    'http: starting the production server (built JavaScript, NODE_ENV=production, loopback senders)',
  );
  const server = await startServer({
    dataDir,
    secretsDir: join(dir, 'http-secrets'),
    registryUrl,
    sinks,
    adminIdentifiers: [admin.nid],
    preload: join(here, 'preload.mjs'),
    progress: step.progress,
  });
  const portal = new Portal(server.url);
  try {
    const people = Array.from({ length: quick ? 16 : 64 }, (_, i) => person(i));
    step.progress(
      `http: registering ${people.length} people (registerCitizen, code by SMS, confirmRegistration)`,
    );
    await eachLimited(people, 8, (p) => register(portal, sinks, p).then(() => {}));

    // 1. Full sign-ins, 16 concurrent, against argon2 alone before and after.
    const seconds = quick ? 4 : 20;
    step.progress(`sign-in: warm-up (${quick ? 2 : 10} s, discarded)`);
    await signInLoop(portal, sinks, people, CONCURRENT_SIGN_INS, quick ? 2 : 10);
    const machine = machineNow();
    step.progress(`sign-in: argon2 bound, ${seconds / 2} s`);
    const boundBefore = await argon2Rate(seconds / 2);
    step.progress(`sign-in: full sign-ins over HTTP, ${CONCURRENT_SIGN_INS} concurrent, ${seconds} s`);
    const cpu = cpuUse(server.pid);
    const signIns = await signInLoop(portal, sinks, people, CONCURRENT_SIGN_INS, seconds);
    const cpuPerSignIn = cpu.perItem(signIns.done);
    step.progress(`sign-in: argon2 bound again, ${seconds / 2} s`);
    const boundAfter = await argon2Rate(seconds / 2);
    const bound = (boundBefore + boundAfter) / 2;
    const signInRatio = ratioOf(signIns.perSecond, bound);
    rows.push(
      row(
        {
          name: `full sign-in over HTTP, ${CONCURRENT_SIGN_INS} concurrent`,
          figure: signIns.perSecond,
          unit: 'sign-ins/s',
          baseline: bound,
          baselineName: 'argon2id verify/s',
          ratio: signInRatio,
          ratioUnit: SIGN_IN_GOAL.as,
          goal: `${ratioGoalText(SIGN_IN_GOAL)} of argon2`,
          met: met(meetsRatio(signInRatio, SIGN_IN_GOAL), signIns.failures.length === 0),
          note: `${signIns.done} sign-ins, ${signIns.failures.length} failed${signIns.failures.length ? ` (${summary(signIns.failures)})` : ''}; argon2 ${boundBefore.toFixed(1)}/s before, ${boundAfter.toFixed(1)}/s after (${((availableParallelism() * 1000) / bound).toFixed(1)} core-ms each); CPU per sign-in: ${cpuPerSignIn}`,
        },
        machine,
      ),
    );

    // 2. completeLogin at half that rate: latency with the argon2 pool half busy.
    const rate = Math.max(1, signIns.perSecond / 2);
    const halfMachine = machineNow();
    step.progress(`completeLogin: sign-ins at ${rate.toFixed(1)}/s for ${seconds} s`);
    const half = await signInsAtRate(portal, sinks, people, rate, seconds);
    const sorted = [...half.completeMs].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    rows.push(
      row(
        {
          name: 'completeLogin at half the sign-in rate',
          figure: p99,
          unit: 'ms p99',
          baseline: null,
          ratio: null,
          goal: 'p99 < 20 ms',
          met: half.failures.length === 0 && sorted.length > 0 && p99 < 20,
          note: `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms over ${sorted.length} at ${rate.toFixed(1)}/s; ${half.failures.length} failed, ${half.skipped} not started (every person busy)`,
        },
        halfMachine,
      ),
    );

    // 3. GraphQL application(id) by its applicant against the same JSON from memory (the preload's route).
    step.progress('reads: one application per person');
    const applications = new Map<Person, string>();
    await eachLimited(people, 8, async (p) => {
      applications.set(p, await apply(portal, p.token!));
    });
    const query = `query($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`;
    const requests = people.map((p) => ({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
      body: JSON.stringify({ query, variables: { id: applications.get(p) } }),
    }));
    const sample = await portal.gql(query, { id: applications.get(people[0]!) }, people[0]!.token);
    if (!sample.data?.application)
      throw new Error(`application(id) answered ${JSON.stringify(sample).slice(0, 200)}`);
    const json = JSON.stringify({ data: sample.data });
    await fetch(`${server.url}/bench/memory`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    const readSeconds = quick ? 3 : 15;
    const readMachine = machineNow();
    step.progress(`reads: GraphQL application(id), 64 connections, ${readSeconds} s (autocannon)`);
    const gql = await autocannon({ url: server.url, connections: 64, duration: readSeconds, requests });
    step.progress(`reads: the same JSON from memory (preload route), 64 connections, ${readSeconds} s`);
    const memory = await autocannon({
      url: server.url,
      connections: 64,
      duration: readSeconds,
      requests: [
        {
          method: 'POST',
          path: '/bench/memory',
          headers: { 'content-type': 'application/json' },
          body: requests[0]!.body,
        },
      ],
    });
    const readRatio = ratioOf(gql.requests.average, memory.requests.average);
    const readErrors = gql.errors + gql.non2xx + gql.timeouts;
    rows.push(
      row(
        {
          name: 'GraphQL application(id) by its applicant, 64 concurrent',
          figure: gql.requests.average,
          unit: 'requests/s',
          baseline: memory.requests.average,
          baselineName: 'same JSON from memory',
          ratio: readRatio,
          ratioUnit: READ_GOAL.as,
          goal: `${ratioGoalText(READ_GOAL)}, p99 < 25 ms`,
          met: met(meetsRatio(readRatio, READ_GOAL), gql.latency.p99 < 25, readErrors === 0),
          note: `p50 ${gql.latency.p50} ms, p99 ${gql.latency.p99} ms (memory route: p50 ${memory.latency.p50}, p99 ${memory.latency.p99}); ${readErrors} errors; ${json.length} bytes`,
        },
        readMachine,
      ),
    );

    // 4. Mixed load.
    rows.push(...(await mixedLoad(step, portal, sinks, people, applications, admin, caseworker)));
  } finally {
    await server.stop();
    await sinks.close();
  }
  return rows;
}

type Op =
  | 'read application'
  | 'myApplications'
  | 'me'
  | 'applyForService'
  | 'caseQueue'
  | 'assign'
  | 'approve'
  | 'startLogin'
  | 'completeLogin';

/**
 * The portal's day in proportion: mostly people reading their applications, some applying, caseworkers
 * reading their queue and deciding, and sign-ins (argon2) throughout.
 */
async function mixedLoad(
  step: Step,
  portal: Portal,
  sinks: Sinks,
  people: Person[],
  applications: Map<Person, string>,
  admin: Person,
  caseworker: Person,
): Promise<Row[]> {
  step.progress('mixed: an admin (ADMIN_IDENTIFIERS) grants CASEWORKER of DPGJC (grantRole)');
  await register(portal, sinks, admin);
  await signIn(portal, sinks, admin);
  await register(portal, sinks, caseworker);
  const granted = await portal.gql(
    'mutation($i: String!) { grantRole(identifier: $i, role: CASEWORKER, institution: "DPGJC", reason: "benchmark") { __typename } }',
    { i: caseworker.nid },
    admin.token,
  );
  if (granted.data?.grantRole?.__typename !== 'RoleChanged')
    throw new Error(`grantRole: ${JSON.stringify(granted).slice(0, 300)}`);
  await signIn(portal, sinks, caseworker);

  const seconds = step.quick ? 6 : 60;
  const saturatedSeconds = step.quick ? 4 : 20;
  const users = 16;
  // Per phase: what each operation took, and how the failed ones failed.
  let latencies = new Map<Op, number[]>();
  let errors = new Map<Op, string[]>();
  const submitted = [...applications.values()];
  const busy = new Set<Person>();
  /** Times `run` from `t0`: in the open loop its scheduled start, so a late start counts as waiting. */
  const time = async (op: Op, run: () => Promise<boolean | string>, t0 = performance.now()) => {
    let outcome: boolean | string;
    try {
      outcome = await run();
    } catch (error) {
      outcome = (error as Error).message;
    }
    const ms = performance.now() - t0;
    if (outcome === true) {
      const list = latencies.get(op) ?? [];
      list.push(ms);
      latencies.set(op, list);
    } else {
      const list = errors.get(op) ?? [];
      list.push(outcome === false ? 'unexpected answer' : outcome);
      errors.set(op, list);
    }
  };
  const ok = (answer: { status: number; errors?: unknown[] }) => answer.status === 200 && !answer.errors;
  // Weights out of 100.
  const mix: Array<[number, (t0?: number) => Promise<void>]> = [
    [
      45,
      async (t0?: number) => {
        const p = people[Math.floor(Math.random() * people.length)]!;
        await time(
          'read application',
          async () => {
            const a = await portal.gql(
              `query($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`,
              { id: applications.get(p) },
              p.token,
            );
            return ok(a) && a.data?.application?.id === applications.get(p);
          },
          t0,
        );
      },
    ],
    [
      12,
      async (t0?: number) => {
        const p = people[Math.floor(Math.random() * people.length)]!;
        await time(
          'myApplications',
          async () =>
            ok(
              await portal.gql('{ myApplications(first: 10) { edges { node { id status } } } }', {}, p.token),
            ),
          t0,
        );
      },
    ],
    [
      10,
      async (t0?: number) => {
        const p = people[Math.floor(Math.random() * people.length)]!;
        await time('me', async () => ok(await portal.gql('{ me { id roles } }', {}, p.token)), t0);
      },
    ],
    [
      12,
      async (t0?: number) => {
        const p = people[Math.floor(Math.random() * people.length)]!;
        await time(
          'applyForService',
          async () => {
            submitted.push(await apply(portal, p.token!));
            return true;
          },
          t0,
        );
      },
    ],
    [
      8,
      async (t0?: number) => {
        await time(
          'caseQueue',
          async () =>
            ok(
              await portal.gql(
                '{ caseQueue(status: SUBMITTED, first: 20) { edges { node { id dueAt } } } }',
                {},
                caseworker.token,
              ),
            ),
          t0,
        );
      },
    ],
    [
      8,
      async (t0?: number) => {
        const id = submitted.shift();
        if (!id) return;
        // Two operations, one after the other as a caseworker does them; each timed on its own (the
        // approval from when it was sent).
        let assigned = false;
        await time(
          'assign',
          async () => {
            const a = await portal.gql(
              'mutation($id: ID!) { assignApplication(id: $id) { __typename } }',
              { id },
              caseworker.token,
            );
            assigned = a.data?.assignApplication?.__typename === 'Application';
            return assigned || `assign: ${JSON.stringify(a).slice(0, 120)}`;
          },
          t0,
        );
        if (!assigned) return;
        await time('approve', async () => {
          const b = await portal.gql(
            'mutation($id: ID!) { approveApplication(id: $id, note: "OK") { __typename } }',
            { id },
            caseworker.token,
          );
          return (
            b.data?.approveApplication?.__typename === 'Application' ||
            `approve: ${JSON.stringify(b).slice(0, 120)}`
          );
        });
      },
    ],
    [
      5,
      async () => {
        const p = people.find((candidate) => !busy.has(candidate));
        if (!p) return;
        busy.add(p);
        try {
          // Its own two timings (startLogin is argon2's, apart from the goal), from each request sent.
          const result = await signIn(portal, sinks, p);
          (latencies.get('startLogin') ?? latencies.set('startLogin', []).get('startLogin')!).push(
            result.startMs,
          );
          (latencies.get('completeLogin') ?? latencies.set('completeLogin', []).get('completeLogin')!).push(
            result.completeMs,
          );
        } catch (error) {
          (errors.get('completeLogin') ?? errors.set('completeLogin', []).get('completeLogin')!).push(
            (error as Error).message,
          );
        } finally {
          busy.delete(p);
        }
      },
    ],
  ];
  const total = mix.reduce((sum, [w]) => sum + w, 0);
  const pick = () => {
    let r = Math.random() * total;
    for (const [w, run] of mix) {
      r -= w;
      if (r < 0) return run;
    }
    return mix[0]![1];
  };
  const ops: Op[] = [
    'read application',
    'myApplications',
    'me',
    'applyForService',
    'caseQueue',
    'assign',
    'approve',
    'startLogin',
    'completeLogin',
  ];
  /** The phase's p99 per operation, its worst (startLogin apart: argon2's), its error count and text. */
  const report = () => {
    const parts: string[] = [];
    let worst = 0;
    let errorCount = 0;
    let count = 0;
    for (const op of ops) {
      const sorted = [...(latencies.get(op) ?? [])].sort((a, b) => a - b);
      const failed = errors.get(op) ?? [];
      errorCount += failed.length;
      count += sorted.length + failed.length;
      const p99 = percentile(sorted, 99);
      if (op !== 'startLogin') worst = Math.max(worst, p99);
      parts.push(
        `${op} p99 ${p99.toFixed(1)} ms (n=${sorted.length}${failed.length ? `, ${failed.length} errors: ${summary(failed).slice(0, 160)}` : ''})`,
      );
    }
    latencies = new Map();
    errors = new Map();
    return { worst, errorCount, count, text: parts.join('; ') };
  };
  const progress = (phase: string) =>
    setInterval(() => {
      const done = [...latencies.values()].reduce((sum, l) => sum + l.length, 0);
      step.progress(`mixed, ${phase}: ${done} operations so far`);
    }, 15_000);

  // 1. Capacity: users in a closed loop with no pause, which saturates the server; its p99s are queueing.
  step.progress(`mixed: ${users} users in a closed loop for ${saturatedSeconds} s (the capacity)`);
  let ticker = progress('closed loop');
  const closedStart = performance.now();
  const closedEnd = closedStart + saturatedSeconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async () => {
      while (performance.now() < closedEnd) await pick()();
    }),
  );
  clearInterval(ticker);
  const saturated = report();
  const capacity = (saturated.count * 1000) / (performance.now() - closedStart);

  // 2. Latency: the same mix arriving at half that rate, each operation started at its scheduled
  // moment whether or not earlier ones have answered (people do not wait for each other), and timed
  // from that moment, so a server that falls behind is charged for it.
  const rate = capacity / 2;
  const machine = machineNow();
  step.progress(`mixed: the same mix arriving at ${rate.toFixed(0)} operations/s for ${seconds} s`);
  ticker = progress('open loop');
  const openStart = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let n = 0; ; n++) {
    const at = openStart + (n * 1000) / rate;
    if (at > openStart + seconds * 1000) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const run = pick()(at).finally(() => inFlight.delete(run));
    inFlight.add(run);
  }
  await Promise.all(inFlight);
  clearInterval(ticker);
  const open = report();
  return [
    row(
      {
        name: `mixed load at half its capacity, ${seconds} s`,
        figure: open.worst,
        unit: 'ms worst p99',
        baseline: null,
        ratio: null,
        goal: 'no error; p99 < 50 ms (all but startLogin)',
        met: open.errorCount === 0 && saturated.errorCount === 0 && open.worst < 50,
        note: `${rate.toFixed(0)} operations/s arriving: ${open.errorCount} errors; ${open.text}. Capacity, ${users} users in a closed loop for ${saturatedSeconds} s: ${capacity.toFixed(0)} operations/s, ${saturated.errorCount} errors, worst p99 ${saturated.worst.toFixed(1)} ms (queueing); ${saturated.text}`,
      },
      machine,
    ),
  ];
}
