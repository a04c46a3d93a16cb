import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest runs one worker fewer than the cores: one on the 2-core machines of developers and CI, every file
    // after the other. The slowest files mostly wait (the AWS provider's waiters against moto, terraform init,
    // Spark start-up), so two workers on two cores finish the tier in about two thirds of the time (measured,
    // see issue 14); three were not faster in the one run measured, under heavy load.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
