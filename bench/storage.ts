/**
 * Storage per account, per sign-in and per application: a real server (in process, SQLite log, the
 * dev outbox) registers N people, signs each in once more, and files one application for each; the
 * log's and the read models' bytes and events are measured after each phase. Extrapolated per
 * million in the README ("Running beyond one machine").
 *
 *   npm run bench -- storage [N]      (default 400)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/app.js';
import { createServices } from '../src/bootstrap/services.js';
import { nidCheckLetter } from '../src/domain/identity/identifiers.js';
import { loadConfig } from '../src/infra/config.js';

const REGISTER = `mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { __typename ... on OtpSent { challengeId } } }`;
const CONFIRM = `mutation($challengeId: ID!, $code: String!) { confirmRegistration(challengeId: $challengeId, code: $code) { __typename ... on SessionStarted { token } } }`;
const START = `mutation($identifier: String!, $password: String!) { startLogin(identifier: $identifier, password: $password) { __typename ... on OtpSent { challengeId } } }`;
const COMPLETE = `mutation($challengeId: ID!, $code: String!) { completeLogin(challengeId: $challengeId, code: $code) { __typename ... on SessionStarted { token } } }`;
const APPLY = `mutation($serviceId: ID!) { applyForService(serviceId: $serviceId) { __typename } }`;
const PASSWORD = 'lule-bore-ne-mal-2026';

export async function main(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 400);
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-bench-storage-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    PORTAL_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LIMIT_SIGNIN_PER_IP_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
  });
  const services = await createServices(config);
  const app = await buildApp({ services });
  const gql = async (query: string, variables: object, token?: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: { query, variables },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the bench reads the one field it asked for.
    return (response.json() as { data: any }).data;
  };
  const code = (to: string) => services.outbox!.list(to)[0]!.body.match(/\b(\d{6})\b/)![1]!;
  const measure = () => {
    const raw = services.readDb;
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const store = services.store as unknown as { db: typeof raw };
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const events = (store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    return {
      events,
      log: statSync(join(dataDir, 'events.sqlite')).size,
      readModels: statSync(raw.name).size,
    };
  };

  const start = measure();
  const people: Array<{ nid: string; email: string; token: string }> = [];
  for (let i = 0; i < n; i += 1) {
    const nine = `J0${String(1 + Math.floor(i / 1000)).padStart(2, '0')}01${String(i % 1000).padStart(3, '0')}`;
    const nid = nine + nidCheckLetter(nine);
    const email = `${nid.toLowerCase()}@example.al`;
    services.sandboxRegistries!.addCitizen({
      nid,
      idCardNumber: `ID${nid.slice(3)}`,
      firstName: 'Bench',
      lastName: `Person ${i}`,
      birthDate: '1990-01-01',
    });
    const input = {
      nid,
      idCardNumber: `ID${nid.slice(3)}`,
      email,
      phone: `+35569${String(i).padStart(7, '0')}`,
      password: PASSWORD,
      securityQuestion: 'Qyteti?',
      securityAnswer: 'Berat',
    };
    const sent = (await gql(REGISTER, { input })).registerCitizen;
    const token = (await gql(CONFIRM, { challengeId: sent.challengeId, code: code(email) }))
      .confirmRegistration.token as string;
    people.push({ nid, email, token });
  }
  await services.notifier.idle();
  const registered = measure();
  for (const person of people) {
    const started = (await gql(START, { identifier: person.nid, password: PASSWORD })).startLogin;
    const done = (await gql(COMPLETE, { challengeId: started.challengeId, code: code(person.email) }))
      .completeLogin;
    person.token = done.token;
  }
  await services.notifier.idle();
  const signedIn = measure();
  for (const person of people) await gql(APPLY, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' }, person.token);
  await services.notifier.idle();
  const applied = measure();

  const per = (a: ReturnType<typeof measure>, b: ReturnType<typeof measure>) => ({
    events: (b.events - a.events) / n,
    log: (b.log - a.log) / n,
    readModels: (b.readModels - a.readModels) / n,
  });
  const show = (label: string, p: ReturnType<typeof per>) =>
    console.log(
      `${label.padEnd(26)} ${p.events.toFixed(1)} events, log ${(p.log / 1024).toFixed(2)} KiB, read models ${(p.readModels / 1024).toFixed(2)} KiB` +
        `  => per million: log ${((p.log * 1e6) / 2 ** 30).toFixed(2)} GiB, read models ${((p.readModels * 1e6) / 2 ** 30).toFixed(2)} GiB, ${(p.events).toFixed(1)} M events`,
    );
  console.log(`${n} people, SQLite log (synchronous=FULL, WAL checkpointed before each measure)`);
  show('account (registered):', per(start, registered));
  show('sign-in (password+code):', per(registered, signedIn));
  show('application (submitted):', per(signedIn, applied));
  await app.close();
  await services.close();
  rmSync(dataDir, { recursive: true, force: true });
}
