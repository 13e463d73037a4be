import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test file loads the hcl2json WASM module once (~0.3 s); files run in parallel forks.
    pool: 'forks',
    testTimeout: 30_000,
  },
});
