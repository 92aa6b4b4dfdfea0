// Starts Debian's nginx on a free loopback port with the repository's configuration
// (deploy/nginx/portal.conf.template), the instances' addresses filled in.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './redis-process.js';

export interface NginxProcess {
  readonly url: string;
  stop(): Promise<void>;
}

export function nginxBinary(): string | null {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(candidate, ['-v'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

/** `upstreams`: host:port of each instance (two, as the template names them). */
export async function startNginx(upstreams: [string, string]): Promise<NginxProcess> {
  const binary = nginxBinary();
  if (!binary) throw new Error('nginx is not installed (apt-get install -y nginx; .ci/run installs it)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'portal-nginx-'));
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp));
  const values: Record<string, string> = {
    PORTAL_API_1: upstreams[0],
    PORTAL_API_2: upstreams[1],
    NGINX_LISTEN: `127.0.0.1:${port}`,
  };
  const site = readFileSync(resolve('deploy/nginx/portal.conf.template'), 'utf8').replace(
    /\$\{(PORTAL_API_1|PORTAL_API_2|NGINX_LISTEN)\}/g,
    (_, name: string) => values[name]!,
  );
  writeFileSync(join(dir, 'portal.conf'), site);
  // The main file an installed nginx would have, with everything under the temporary folder.
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/portal.conf;
}
`,
  );
  const child: ChildProcess = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  // Listening once it answers (a 404 for /dev is nginx's own answer).
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}`);
    const ok = await fetch(`${url}/dev/`).then(
      (r) => r.status === 404,
      () => false,
    );
    if (ok) break;
    if (i > 200) throw new Error(`nginx did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
