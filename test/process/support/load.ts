// A load of registrations, sign-ins and applications from a few concurrent clients, each request
// tagged with its own request id, so that afterwards every success can be looked up in the log.
import { randomUUID } from 'node:crypto';
import {
  APPLY,
  type Citizen,
  COMPLETE_LOGIN,
  CONFIRM,
  codeFor,
  codeOf,
  gql,
  PASSWORD,
  REGISTER_CITIZEN,
  type Reply,
  START_LOGIN,
} from './portal-client.js';

export interface Answered {
  op: 'register' | 'confirm' | 'startLogin' | 'completeLogin' | 'apply';
  requestId: string;
  /** 'OK' for a success, else the error code (or the thrown error's message: no answer at all). */
  outcome: string;
  /** The application's id, for an application answered with success. */
  applicationId?: string;
  /** When the request was sent (Date.now()). */
  sentAt: number;
}

export interface Member {
  citizen: Citizen;
  token: string;
}

export interface LoadOptions {
  /** Where requests go (nginx, or one instance). */
  url: string;
  /** Every instance's own URL: their dev outboxes hold the codes. */
  instanceUrls: string[];
  /** Registered people who sign in and apply. */
  members: Member[];
  /** People in every sandbox registry, not registered yet. */
  newcomers: Citizen[];
  clients: number;
}

export interface Load {
  readonly answered: Answered[];
  /** Resolves once at least n more requests were answered with success. */
  successes(n: number): Promise<void>;
  stop(): Promise<void>;
}

const SUCCESS: Record<string, string> = {
  registerCitizen: 'OtpSent',
  confirmRegistration: 'SessionStarted',
  startLogin: 'OtpSent',
  completeLogin: 'SessionStarted',
  applyForService: 'Application',
};

function outcomeOf(reply: Reply, field: string): string {
  const code = codeOf(reply);
  if (code) return String(code);
  const typename = reply.body.data?.[field]?.__typename;
  return typename === SUCCESS[field] ? 'OK' : String(typename);
}

export function startLoad(options: LoadOptions): Load {
  const answered: Answered[] = [];
  let running = true;
  let okCount = 0;
  const waiters: Array<{ at: number; done(): void }> = [];
  const record = (entry: Answered) => {
    answered.push(entry);
    if (entry.outcome !== 'OK') return;
    okCount += 1;
    for (const w of waiters.splice(0))
      if (okCount >= w.at) w.done();
      else waiters.push(w);
  };
  const call = async (op: Answered['op'], field: string, query: string, vars: object, token?: string) => {
    const requestId = `load-${randomUUID()}`;
    const sentAt = Date.now();
    try {
      const reply = await gql(options.url, query, vars as Record<string, unknown>, token, requestId);
      const outcome = outcomeOf(reply, field);
      const applicationId = op === 'apply' && outcome === 'OK' ? reply.body.data[field].id : undefined;
      record({ op, requestId, outcome, sentAt, ...(applicationId ? { applicationId } : {}) });
      return outcome === 'OK' ? reply : null;
    } catch (error) {
      record({ op, requestId, outcome: `NO_ANSWER: ${(error as Error).message}`, sentAt });
      return null;
    }
  };
  const code = (to: string) => codeFor(options.instanceUrls, to).catch(() => null);

  async function client(n: number) {
    // Each client its own people: two sign-ins of one person at once would read each other's codes.
    const mine = options.members.filter((_, i) => i % options.clients === n);
    for (let round = 0; running; round += 1) {
      const member = mine[round % mine.length]!;
      const step = round % 3;
      if (step === 0) {
        const newcomer = options.newcomers.pop();
        if (newcomer) {
          const input = {
            ...newcomer,
            password: PASSWORD,
            securityQuestion: 'Qyteti?',
            securityAnswer: 'Berat',
          };
          const sent = await call('register', 'registerCitizen', REGISTER_CITIZEN, { input });
          const otp = sent && (await code(newcomer.email));
          if (sent && otp)
            await call('confirm', 'confirmRegistration', CONFIRM, {
              challengeId: sent.body.data.registerCitizen.challengeId,
              code: otp,
            });
          continue;
        }
      }
      if (step === 1) {
        const started = await call('startLogin', 'startLogin', START_LOGIN, {
          identifier: member.citizen.nid,
          password: PASSWORD,
        });
        const otp = started && (await code(member.citizen.email));
        if (started && otp)
          await call('completeLogin', 'completeLogin', COMPLETE_LOGIN, {
            challengeId: started.body.data.startLogin.challengeId,
            code: otp,
          });
        continue;
      }
      await call(
        'apply',
        'applyForService',
        APPLY,
        { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' },
        member.token,
      );
    }
  }
  const clients = Array.from({ length: options.clients }, (_, n) => client(n));
  return {
    answered,
    successes: (n) =>
      new Promise<void>((done) => {
        const at = okCount + n;
        if (okCount >= at) done();
        else waiters.push({ at, done });
      }),
    async stop() {
      running = false;
      await Promise.all(clients);
    },
  };
}
