// `npm audit --omit=dev` for .ci/run: fails on a high or critical advisory in what production
// installs; when the registry does not answer the advisories endpoint (some mirrors refuse it),
// prints `not checked: <reason>` and passes, since nothing was learnt either way.
// .github/workflows/ci.yml runs `npm audit --omit=dev --audit-level=high` against the public registry.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  report = null;
}

// A refusal names the endpoint's address; the reason is kept without it.
const withoutAddress = (text) =>
  String(text)
    .replace(/\s*-?\s*(GET|POST)?\s*https?:\/\/\S+/g, '')
    .trim();

if (!report || report.error || report.statusCode || !report.metadata) {
  const reason = report?.message ?? report?.error?.summary ?? (run.stderr.trim().split('\n').pop() || 'no answer');
  const why = withoutAddress(reason) || 'no report';
  console.log(`npm audit: not checked: the registry refused the advisories request (${why})`);
  process.exit(0);
}

const counts = report.metadata.vulnerabilities ?? {};
const summary = ['critical', 'high', 'moderate', 'low', 'info'].map((level) => `${counts[level] ?? 0} ${level}`);
console.log(`npm audit (production dependencies): ${summary.join(', ')}`);
if ((counts.critical ?? 0) + (counts.high ?? 0) > 0) {
  for (const [name, finding] of Object.entries(report.vulnerabilities ?? {}))
    if (finding.severity === 'high' || finding.severity === 'critical') console.log(`  ${finding.severity}: ${name}`);
  process.exit(1);
}
