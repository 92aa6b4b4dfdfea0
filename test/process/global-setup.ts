// One build for every process test: they run `dist/main.js` exactly as `npm start` and production do.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build failed with exit code ${build.status}`);
}
