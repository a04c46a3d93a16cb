import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** Files in name order: 01-happy-path runs first, on the fresh warehouse its analytics check relies on. */
class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// The end-to-end tier (`npm run test:e2e`): one local stage for all files (global setup), the files
// one after another, since they share its warehouse and its two cores of Spark.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    sequence: { sequencer: ByName },
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
  },
});
