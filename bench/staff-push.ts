/**
 * What it costs to record every applicationUpdated push to a staff member (issue 18: "every
 * subscription push to a staff member, or one record per subscription and person if per-push records
 * cost too much: measure and say").
 *
 *   npm run bench -- staff-push [--subscribers=20] [--changes=40] [--rounds=4]
 *
 * Two applications of one citizen; one is followed by `--subscribers` caseworker subscriptions (each
 * push is a reading of personal data, recorded in the log before it is sent), the other by as many
 * subscriptions of the applicant (their own data: nothing recorded). The baseline is the applicant's
 * push, in the same run: the same mutations (request information, answer it) drive both, in
 * alternating rounds, and each round waits until every subscriber has every update. Figures: pushes
 * delivered per second, process CPU per push, log events per change, against the baseline.
 *
 * Authentication is the tests' fake one (test/applications/fake-viewers.ts): a caseworker needs no
 * sign-in here, and sign-in is measured by `signin`. The store is durable, as in production.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { tokenOf, type ViewerName } from '../test/applications/fake-viewers.js';
import { MUTATIONS, startCaseApp } from '../test/applications/support.js';
import { numberOption } from './_options.js';

const SUBSCRIPTION = `subscription($id: ID!) { applicationUpdated(id: $id) { id status } }`;

export async function main(args: string[]) {
  const subscribers = numberOption(args, 'subscribers', 20, { integer: true });
  const changes = numberOption(args, 'changes', 40, { integer: true });
  const rounds = numberOption(args, 'rounds', 4, { integer: true });
  const app = await startCaseApp();
  const clients: Array<{ dispose(): unknown }> = [];
  try {
    await app.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `ws://127.0.0.1:${(app.app.server.address() as { port: number }).port}/graphql`;
    const apply = async () => {
      const applied = await app.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
      const id = applied.data.applyForService.id as string;
      await app.as('dpgjc1', MUTATIONS.assign, { id });
      return id;
    };
    /** `subscribers` sockets of `who` following `id`; `received()` counts the pushes they all got. */
    const follow = async (who: ViewerName, id: string) => {
      let received = 0;
      let waiting: { target: number; wake: () => void } | null = null;
      let started = 0;
      for (let i = 0; i < subscribers; i++) {
        const client = createClient({
          url,
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { authorization: `Bearer ${tokenOf(who)}` },
        });
        clients.push(client);
        client.subscribe(
          { query: SUBSCRIPTION, variables: { id } },
          {
            next: (value) => {
              if (value.errors) throw new Error(JSON.stringify(value.errors));
              received += 1;
              if (waiting && received >= waiting.target) waiting.wake();
            },
            error: (error) => {
              throw error instanceof Error ? error : new Error(String(error));
            },
            complete: () => {},
          },
        );
        started += 1;
      }
      // graphql-ws does not say when the server has subscribed: one change proves every socket is live.
      return {
        started,
        received: () => received,
        until: (target: number) =>
          received >= target
            ? Promise.resolve()
            : new Promise<void>((resolve) => {
                waiting = { target, wake: resolve };
              }),
      };
    };
    const staffId = await apply();
    const ownId = await apply();
    const modes = [
      { label: 'caseworker (recorded)', id: staffId, followers: await follow('dpgjc1', staffId) },
      { label: 'applicant (baseline)', id: ownId, followers: await follow('arben', ownId) },
    ];
    // Each change is two mutations' worth: information requested, then provided.
    const change = async (id: string, n: number) => {
      await app.as('dpgjc1', MUTATIONS.request, { id, message: `Question ${n}` });
      await app.as('arben', MUTATIONS.provide, { id, message: `Answer ${n}` });
    };
    // Warm-up: until every socket has had the first pushes (so every subscription is registered).
    for (const mode of modes) {
      for (let n = 0; ; n++) {
        const before = mode.followers.received();
        await change(mode.id, n);
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (mode.followers.received() - before === 2 * subscribers) break;
        if (n > 50) throw new Error(`${mode.label}: the subscriptions never all started`);
      }
    }
    const totals = modes.map(() => ({ ms: 0, cpuMs: 0, pushes: 0, events: 0 }));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const which of order) {
        const mode = modes[which]!;
        const total = totals[which]!;
        const target = mode.followers.received() + 2 * changes * subscribers;
        const head = await app.services.store.headPosition();
        const cpu = process.cpuUsage();
        const started = performance.now();
        for (let n = 0; n < changes; n++) await change(mode.id, n);
        await mode.followers.until(target);
        total.ms += performance.now() - started;
        const used = process.cpuUsage(cpu);
        total.cpuMs += (used.user + used.system) / 1000;
        total.pushes += 2 * changes * subscribers;
        // Readings are recorded before each push is sent, so they are in the log by now.
        total.events += (await app.services.store.headPosition()) - head;
      }
    }
    console.log(
      `${subscribers} subscriptions per application, ${changes} changes (2 status updates each) per round, ${rounds} rounds alternating; durable SQLite log`,
    );
    const rows = modes.map((mode, i) => {
      const t = totals[i]!;
      const rate = (t.pushes * 1000) / t.ms;
      const cpuPerPush = (t.cpuMs * 1000) / t.pushes;
      console.log(
        `${mode.label.padEnd(22)} ${rate.toFixed(0)} pushes/s, ${cpuPerPush.toFixed(0)} µs CPU per push (the mutations included), ${(t.events / (2 * changes * rounds)).toFixed(1)} log events per status update`,
      );
      return { rate, cpuPerPush, eventsPerUpdate: t.events / (2 * changes * rounds) };
    });
    const [staff, own] = rows as [(typeof rows)[number], (typeof rows)[number]];
    console.log(
      `recording every push: ${((staff.rate / own.rate) * 100).toFixed(1)}% of the baseline's pushes/s, ${(staff.cpuPerPush - own.cpuPerPush).toFixed(0)} µs more CPU per push, ${((staff.eventsPerUpdate - own.eventsPerUpdate) / subscribers).toFixed(2)} more log events per push`,
    );
  } finally {
    for (const client of clients) await client.dispose();
    await app.close();
  }
}
