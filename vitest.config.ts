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
    // Two cores: more workers only queue argon2 and fsync behind each other.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    env: { PORTAL_TEST: '1' },
    setupFiles: ['test/support/fast-check-seed.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'fast',
          include: ['test/**/*.spec.ts', 'src/**/*.spec.ts'],
          exclude: ['test/process/**', '**/node_modules/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Tests that start real processes (the built server, nginx, redis-server, a browser): one
        // file at a time, after the fast group, against one build made by the global setup.
        extends: true,
        test: {
          name: 'process',
          include: ['test/process/**/*.spec.ts'],
          globalSetup: ['test/process/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
