import { defineConfig } from 'vitest/config';

// The Terraform tier (`npm run test:terraform`) runs on its own: its files end in .spec.ts so the
// unit tier's test/**/*.test.ts does not pick them up a second time.
export default defineConfig({
  test: {
    include: ['test/terraform/**/*.spec.ts'],
    // The files drive Terraform in the same terraform/ directory, whose first use runs `terraform init`:
    // one file at a time, so two inits never race on a fresh clone.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
