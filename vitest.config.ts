import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/reuse-password-hashes.ts'],
    // One test file per core, not Vitest's default of one fewer: most files spend their time waiting
    // on the server processes and databases they start, so a two-core machine runs two at once (the
    // whole suite in about half the time; STEWARD_TEST_WORKERS overrides).
    maxWorkers: Number(process.env.STEWARD_TEST_WORKERS) || Math.max(2, availableParallelism()),
    // The JSON report lets CI print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
