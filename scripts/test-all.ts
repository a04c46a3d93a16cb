import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { projectRoot } from '../stage/python-env.js';
import { failureLines } from '../test/failure-lines.js';
import { skipLines } from '../test/prerequisites.js';

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

/** Runs one tier with its output shown as it comes, and keeps the output to look for skips. */
function runTier(script: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Piped, the tools would drop their colours; skipLines reads through them.
    const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
    const child = spawn('npm', ['run', '--silent', script], { cwd: projectRoot, env, stdio: ['inherit', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { process.stdout.write(chunk); output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { process.stderr.write(chunk); output += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** The machine's CPU time so far, busy and in all, over every core (ms). */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}

/** How busy the machine's cores were since `before`: what a tier leaves idle is time another could use. */
function busyShare(before: ReturnType<typeof cpuTimes>): string {
  const after = cpuTimes();
  const share = after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : 0;
  return `cores ${Math.round(share * 100)} % busy`;
}

const failed: { tier: string; lines: string[] }[] = [];
const skipped: string[] = [];
for (const tier of tiers) {
  console.log(`\n=== ${tier.name} ===`);
  const started = Date.now();
  const cpuBefore = cpuTimes();
  const result = await runTier(tier.script);
  const timing = `${((Date.now() - started) / 1000).toFixed(1)} s, ${busyShare(cpuBefore)}`;
  skipped.push(...[...new Set(skipLines(result.output))].map((line) => `${tier.name}: ${line}`));
  if (result.status === 0) console.log(`=== ${tier.name}: passed in ${timing} ===`);
  else {
    console.log(`=== ${tier.name}: FAILED (exit ${result.status}) after ${timing} ===`);
    failed.push({ tier: tier.name, lines: failureLines(result.output) });
  }
}
console.log(skipped.length > 0 ? `\nskipped (did not run):\n${skipped.map((line) => `  ${line}`).join('\n')}` : '\nnothing was skipped');
if (failed.length > 0) {
  // A CI log may keep only the end of a long run: say here which tests failed, not just which tier.
  for (const { tier, lines } of failed) {
    console.error(`\n${tier} failed${lines.length > 0 ? ':' : ' (see its output above)'}`);
    for (const line of lines) console.error(`  ${line}`);
  }
  console.error(`\nnpm test failed: ${failed.map(({ tier }) => tier).join(', ')}`);
  process.exit(1);
}
console.log(skipped.length > 0 ? '\nnpm test: every tier that ran passed; see the skipped list above' : '\nnpm test: every tier passed');
