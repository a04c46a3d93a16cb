import { spawnSync } from 'node:child_process';
import { projectRoot } from '../stage/python-env.js';

/** Every tier of `npm test`, in order; the run fails when any tier fails. */
const tiers: { name: string; script: string }[] = [
  { name: 'lint', script: 'lint' },
  { name: 'python lint', script: 'lint:python' },
  { name: 'type check', script: 'typecheck' },
  { name: 'vitest', script: 'test:unit' },
  { name: 'terraform', script: 'test:terraform' },
  { name: 'pytest', script: 'test:python' },
  { name: 'end-to-end', script: 'test:e2e' },
];

const failed: string[] = [];
for (const tier of tiers) {
  console.log(`\n=== ${tier.name} ===`);
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', tier.script], { stdio: 'inherit', cwd: projectRoot });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) console.log(`=== ${tier.name}: passed in ${seconds} s ===`);
  else {
    console.log(`=== ${tier.name}: FAILED (exit ${result.status}) after ${seconds} s ===`);
    failed.push(tier.name);
  }
}
if (failed.length > 0) {
  console.error(`\nnpm test failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\nnpm test: every tier passed');
