import { defineConfig } from 'vitest/config';

// The end-to-end tier (`npm run test:e2e`): one local stage for all files (global setup), the files
// one after another, since they share its warehouse and its two cores of Spark.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
  },
});
