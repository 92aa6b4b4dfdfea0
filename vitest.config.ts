import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (mercurius requires it); without this alias vitest would
    // load its ESM build beside it, and graphql refuses objects from "another module or realm".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.spec.ts', 'src/**/*.spec.ts'],
    // Two cores: more workers only queue argon2 and fsync behind each other.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    env: { PORTAL_TEST: '1' },
  },
});
