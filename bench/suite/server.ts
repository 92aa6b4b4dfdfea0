import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** `npm run build` when dist/ is missing or older than src/ (as `npm start` decides): the server runs built JavaScript. */
export function ensureBuilt(progress: (line: string) => void): void {
  const entry = join(root, 'dist', 'main.js');
  if (existsSync(entry) && newest(join(root, 'src')) <= statSync(entry).mtimeMs) return;
  progress('building dist/ (npm run build)');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

/**
 * Where the server's messages go: a real SMTP server (smtp-server) for e-mail and an HTTP endpoint
 * answering as Twilio's Messages API for SMS, both on loopback. Codes are read from the SMS side: one
 * message per code, so an e-mail copy arriving late can never be taken for the next code.
 */
export interface Sinks {
  smtpUrl: string;
  twilioUrl: string;
  /** The next SMS to `phone` that arrives after this call. */
  nextSms(phone: string, timeoutMs?: number): Promise<string>;
  counts: { sms: number; email: number };
  close(): Promise<void>;
}

export async function startSinks(): Promise<Sinks> {
  const waiters = new Map<string, Array<(body: string) => void>>();
  const counts = { sms: 0, email: 0 };
  const twilio = createServer(async (request, response) => {
    const form = new URLSearchParams(await body(request));
    counts.sms += 1;
    const to = form.get('To') ?? '';
    const waiting = waiters.get(to);
    const next = waiting?.shift();
    if (waiting && waiting.length === 0) waiters.delete(to);
    next?.(form.get('Body') ?? '');
    response.statusCode = 201;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued', to }));
  });
  twilio.keepAliveTimeout = 60_000;
  const twilioPort = await listen(twilio);
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        counts.email += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    twilioUrl: `http://127.0.0.1:${twilioPort}`,
    counts,
    nextSms(phone, timeoutMs = 15_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no SMS to ${phone} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const list = waiters.get(phone) ?? [];
        list.push((text) => {
          clearTimeout(timer);
          resolve(text);
        });
        waiters.set(phone, list);
      });
    },
    async close() {
      await closeServer(twilio);
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}

/** A person of the loopback civil registry: every well-formed NID exists, its ID card number derived from it. */
export const idCardFor = (nid: string) => `ID${nid.slice(1, 9)}`;

/** The interoperability gateway's registries on loopback (REGISTRY_URL): GET /citizens/{nid}, /businesses/{nipt}. */
export async function startRegistry(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const match = /^\/citizens\/([A-Z0-9]+)$/.exec(request.url ?? '');
    response.setHeader('content-type', 'application/json');
    if (!match) {
      response.statusCode = 404;
      response.end('{}');
      return;
    }
    const nid = match[1]!;
    response.end(
      JSON.stringify({
        nid,
        idCardNumber: idCardFor(nid),
        firstName: 'Bench',
        lastName: nid.slice(-4),
        birthDate: '1990-01-01',
      }),
    );
  });
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

/**
 * Generated audit keys, outside DATA_DIR, for configurations that require them (an Ed25519 key that
 * signs checkpoints, the witness directory, the public key that verifies). Harmless where unused.
 */
export function auditEnv(dir: string): Record<string, string> {
  mkdirSync(join(dir, 'witness'), { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'audit-signing-key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    AUDIT_SIGNING_KEY_FILE: keyFile,
    AUDIT_WITNESS_DIR: join(dir, 'witness'),
    // The key id is the server's own derivation (src/infra/audit-signing-key.ts keyIdOf): a listed
    // id that does not match its key is refused as a configuration error.
    AUDIT_VERIFY_KEYS: `ed25519-${createHash('sha256').update(Buffer.from(spki, 'base64')).digest('hex').slice(0, 16)}=${spki}`,
  };
}

export interface RunningServer {
  url: string;
  pid: number;
  /** Seconds from spawn to the first 200 of the readiness endpoint. */
  readySeconds: number;
  /** `/ready`, or `/health` when /ready answered 404 (a server without it). */
  readyPath: string;
  rssMb(): number;
  stop(): Promise<void>;
}

export interface ServerOptions {
  dataDir: string;
  /** Outside DATA_DIR: audit keys and the witness. */
  secretsDir: string;
  registryUrl: string;
  sinks?: Sinks;
  adminIdentifiers?: string[];
  /** Path of a `node --import` preload (the in-memory baseline route). */
  preload?: string;
  readyTimeoutMs?: number;
  progress?: (line: string) => void;
}

/** The built server as in production, in its own process. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const many = '1000000000';
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: options.dataDir,
    PORTAL_SECRET: randomBytes(32).toString('hex'),
    REGISTRY_URL: options.registryUrl,
    LOG_LEVEL: 'warn',
    ADMIN_IDENTIFIERS: (options.adminIdentifiers ?? []).join(','),
    // One argon2 thread per core, as `npm start` sets it.
    UV_THREADPOOL_SIZE: String(availableParallelism()),
    // The load comes from one address: the per-address limits would measure the limiter, not the server.
    LIMIT_SIGNIN_PER_IP_PER_MINUTE: many,
    LIMIT_CODES_PER_ACCOUNT_PER_HOUR: many,
    LIMIT_REQUESTS_PER_IP_PER_MINUTE: many,
    LIMIT_RECOVERY_PER_IP_PER_ACCOUNT_PER_HOUR: many,
    LIMIT_RECOVERY_PER_ACCOUNT_PER_HOUR: many,
    // Shedding off, as in bench/signin.ts and the test harness: the suite saturates the two cores on
    // purpose (argon2 on every core, 64 connections), and under-pressure counts an event loop blocked
    // for a whole sampling second as lagging without end, so the server would answer 503s and the
    // rows would measure the shedding, not the server.
    LOAD_SHED_EVENT_LOOP_DELAY_MS: '0',
    ...auditEnv(options.secretsDir),
  };
  // Production refuses to start without both senders. A server given no sinks (the cold start) sends
  // nothing; its senders point at a closed loopback port.
  Object.assign(env, {
    SMTP_URL: options.sinks?.smtpUrl ?? 'smtp://127.0.0.1:1',
    TWILIO_ACCOUNT_SID: 'ACbench0000000000000000000000000000',
    TWILIO_AUTH_TOKEN: 'bench-token',
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: options.sinks?.twilioUrl ?? 'http://127.0.0.1:1',
  });
  // BENCH_CPU_PROF=DIR: a V8 CPU profile of the whole server run into DIR (node --cpu-prof), written
  // when it stops, for finding out what limits a figure.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const args = [
    ...profile,
    ...(options.preload ? ['--import', options.preload] : []),
    join(root, 'dist', 'main.js'),
  ];
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  let readyPath = '/ready';
  const limit = started + (options.readyTimeoutMs ?? 180_000);
  let lastShown = started;
  for (;;) {
    if (exited !== undefined)
      throw new Error(`the server exited (${exited}) before it was ready: ${stderr.trim()}`);
    if (performance.now() > limit) {
      child.kill('SIGKILL');
      throw new Error(
        `the server was not ready within ${options.readyTimeoutMs ?? 180_000} ms: ${stderr.trim()}`,
      );
    }
    try {
      const response = await fetch(url + readyPath, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status === 200) break;
      if (response.status === 404 && readyPath === '/ready') readyPath = '/health';
    } catch {
      // not listening yet
    }
    if (performance.now() - lastShown > 5_000) {
      lastShown = performance.now();
      options.progress?.(`waiting for ${readyPath}: ${Math.round((lastShown - started) / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const readySeconds = (performance.now() - started) / 1000;
  return {
    url,
    pid: child.pid!,
    readySeconds,
    readyPath,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(force);
    },
  };
}
