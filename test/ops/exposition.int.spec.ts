import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_LOGIN } from '../account/flows.js';
import { startTestApp, type TestApp } from '../support/harness.js';
import { scrapeText } from './scrape.js';

const ops = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ops');

/** promtool (Debian's prometheus package; .ci/run installs it), or why it cannot be used here. */
const promtool = (() => {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return probe.status === 0
    ? { ok: true as const }
    : { ok: false as const, why: String(probe.error ?? probe.stderr) };
})();
if (!promtool.ok)
  console.warn(
    `promtool is not installed (${promtool.why.trim()}): the exposition is checked by parse-prometheus-text-format instead, and the alert rules are NOT checked. Install it: apt-get install -y prometheus`,
  );

function runPromtool(args: string[], input?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', args, { cwd: ops }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe('the /metrics exposition', () => {
  let t: TestApp;
  let text: string;
  beforeAll(async () => {
    t = await startTestApp();
    // Some traffic, so that labelled series and histograms have samples.
    await t.gql(START_LOGIN, { identifier: 'J00101999W', password: 'a-wrong-password-1' });
    await t.app.inject({ method: 'GET', url: '/nowhere' });
    text = await scrapeText(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.runIf(promtool.ok)('passes promtool check metrics without a single finding', async () => {
    const checked = await runPromtool(['check', 'metrics'], text);
    expect(checked.output).toBe('');
    expect(checked.code).toBe(0);
  });

  it.runIf(!promtool.ok)(
    'parses with parse-prometheus-text-format (promtool missing: see the warning)',
    () => {
      const families = parsePrometheusTextFormat(text);
      expect(families.map((f) => f.name)).toContain('portal_signin_outcomes_total');
    },
  );

  it('serves every family the alert rules and the dashboard use, with a label set of closed values', () => {
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]));
    const used = new Set(
      [
        readFileSync(join(ops, 'alerts.yml'), 'utf8'),
        readFileSync(join(ops, 'grafana-dashboard.json'), 'utf8'),
      ].flatMap((source) =>
        [...source.matchAll(/\b((?:portal|nodejs|process)_[a-z0-9_]+)/g)].map((m) => m[1]!),
      ),
    );
    const family = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
    const missing = [...used].filter((name) => !declared.has(name) && !declared.has(family(name)));
    expect(missing).toEqual([]);
    // Never an identifier, an address or an id in a label: no value looks like one.
    const values = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    expect(
      values.filter((v) => /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9a-f]{8}-[0-9a-f]{4}|J\d{8}[A-Z]/.test(v)),
    ).toEqual([]);
  });
});

describe.runIf(promtool.ok)('the alert rules (ops/alerts.yml)', () => {
  it('pass promtool check rules', async () => {
    const checked = await runPromtool(['check', 'rules', 'alerts.yml']);
    expect(checked.output).toContain('SUCCESS: 8 rules found');
    expect(checked.code).toBe(0);
  });

  it('fire on the series they are meant for and stay quiet otherwise (promtool test rules)', async () => {
    const tested = await runPromtool(['test', 'rules', 'alerts.test.yml']);
    expect(tested.output).toContain('SUCCESS');
    expect(tested.code).toBe(0);
  });

  it('and the scrape configuration passes promtool check config', async () => {
    const checked = await runPromtool(['check', 'config', 'prometheus.yml']);
    expect(checked.code).toBe(0);
  });

  it('each alert has its one-line runbook in the README', () => {
    const readme = readFileSync(join(ops, '..', 'README.md'), 'utf8');
    const alerts = [...readFileSync(join(ops, 'alerts.yml'), 'utf8').matchAll(/- alert: (\w+)/g)].map(
      (m) => m[1]!,
    );
    expect(alerts).toHaveLength(8);
    for (const alert of alerts)
      expect(readme).toMatch(new RegExp(`\\| \`${alert}\` \\|[^\\n]+\\|[^\\n]+\\|`));
  });
});
