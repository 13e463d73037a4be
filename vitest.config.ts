import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file loads the hcl2json WASM module once (~0.3 s); files run in parallel forks.
    pool: 'forks',
    testTimeout: 30_000,
    // Setup hooks run CLI scans and start servers (PostgreSQL, fake clouds); on a loaded 2-core
    // machine they outgrow vitest's 10 s default while the tests themselves stay well within theirs.
    hookTimeout: 60_000,
  },
});
