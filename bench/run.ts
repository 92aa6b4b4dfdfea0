/**
 * `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, every benchmark in turn.
 * Each benchmark prints its figures beside a baseline measured in the same run, as a ratio, because
 * absolute numbers on a shared 2-core machine say little.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const [name, ...args] = process.argv.slice(2);
const chosen = name ? [name] : available;
for (const bench of chosen) {
  if (!available.includes(bench)) {
    console.error(`unknown benchmark "${bench}"; available: ${available.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== bench ${bench} ==`);
  const mod = (await import(pathToFileURL(join(here, `${bench}.ts`)).href)) as {
    main(args: string[]): Promise<void>;
  };
  await mod.main(args);
}
