/**
 * `npm run bench` runs the suite (bench/suite/index.ts): every benchmark, one table, bench/results/.
 * `npm run bench -- --quick` runs it with smaller sizes. `npm run bench -- <name> [args]` runs one
 * benchmark, bench/<name>.ts, printing its own figures beside a baseline measured in the same run, as a
 * ratio, because absolute numbers on a shared 2-core machine say little.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSuite } from './suite/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (name === undefined || name.startsWith('--')) {
  await runSuite(process.argv.slice(2));
  // The measurement is the product, not a verdict: goals not met are rows of the report.
  process.exit(0);
}
if (!available.includes(name)) {
  console.error(
    `unknown benchmark "${name}"; available: ${available.join(', ')} (or no name: the whole suite)`,
  );
  process.exit(2);
}
console.log(`\n== bench ${name} ==`);
const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
  main(args: string[]): Promise<void>;
};
await mod.main(args);
