// `npm start`: builds (`npm run build`: the server, then the portal) when dist/ is missing or older
// than src/ or web/, then serves with development defaults (DEV_TOOLS=1 unless set,
// NODE_ENV=development unless set).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const entry = 'dist/main.js';
const portal = 'dist/web/index.html';
const stale = (output, ...sources) =>
  !existsSync(output) || Math.max(...sources.map(newest)) > statSync(output).mtimeMs;
if (stale(entry, 'src') || stale(portal, 'src', 'web')) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const env = { ...process.env };
env.NODE_ENV ??= 'development';
if (env.DEV_TOOLS === undefined && env.NODE_ENV !== 'production') env.DEV_TOOLS = '1';
// argon2 runs on libuv's pool: one thread per core, so password work never queues behind itself
// on an oversubscribed CPU (measured: 4 threads on 2 cores cut sign-ins/s by a fifth, p99 x5).
env.UV_THREADPOOL_SIZE ??= String(availableParallelism());
const child = spawn(process.execPath, [entry], { stdio: 'inherit', env });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
