import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { projectRoot } from '../stage/python-env.js';
import { skipLines } from '../test/prerequisites.js';

interface Tier { name: string; script: string }

const tier = (name: string, script: string): Tier => ({ name, script });

/**
 * Every tier of `npm test`, as steps run in order; the lanes of a step run at the same time, the tiers of a lane
 * one after another. The end-to-end tier mostly waits at first (its stage start is the AWS provider's fixed
 * waits against moto) and then keeps about 87 % of two cores busy, while the pytest tier leaves about 30 % idle:
 * side by side they fill each other's gaps. The tiers before them run alone: vitest's files have the tightest
 * timeouts, and the Terraform tier works in terraform/, where a running local stage keeps its provider override.
 * The run fails when any tier fails.
 */
const steps: Tier[][][] = [
  [[tier('lint', 'lint'), tier('python lint', 'lint:python'), tier('type check', 'typecheck'), tier('vitest', 'test:unit'), tier('terraform', 'test:terraform')]],
  [[tier('pytest', 'test:python')], [tier('end-to-end', 'test:e2e')]],
];

/** Writes a tier's output as it comes, each line led by `prefix` (empty when the tier runs alone). */
function prefixedWriter(write: (text: string) => void, prefix: string): { push(chunk: string): void; end(): void } {
  let partial = '';
  return {
    push(chunk) {
      if (!prefix) return write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      if (lines.length > 0) write(lines.map((line) => `${prefix}${line}\n`).join(''));
    },
    end() {
      if (prefix && partial) write(`${prefix}${partial}\n`);
      partial = '';
    },
  };
}

/** Runs one tier with its output shown as it comes, and keeps the output to look for skips. */
function runTier(script: string, prefix: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Piped, the tools would drop their colours; skipLines reads through them.
    const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
    const child = spawn('npm', ['run', '--silent', script], { cwd: projectRoot, env, stdio: ['inherit', 'pipe', 'pipe'] });
    const stdout = prefixedWriter((text) => process.stdout.write(text), prefix);
    const stderr = prefixedWriter((text) => process.stderr.write(text), prefix);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout.push(chunk.toString()); output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr.push(chunk.toString()); output += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (status) => {
      stdout.end();
      stderr.end();
      resolve({ status, output });
    });
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

/** How busy the machine's cores were since `before`: what the running tiers leave idle is time another could use. */
function busyShare(before: ReturnType<typeof cpuTimes>): string {
  const after = cpuTimes();
  const share = after.total > before.total ? (after.busy - before.busy) / (after.total - before.total) : 0;
  return `cores ${Math.round(share * 100)} % busy`;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

const failed: string[] = [];
const skipped: string[] = [];

async function runLane(lane: Tier[], shared: boolean): Promise<void> {
  const width = Math.max(...steps.flat(2).map(({ name }) => name.length));
  for (const { name, script } of lane) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    const cpuBefore = cpuTimes();
    const result = await runTier(script, shared ? `${name.padEnd(width)} | ` : '');
    const timing = `${seconds(started)}, ${busyShare(cpuBefore)}${shared ? ' (the machine, shared with the other lane)' : ''}`;
    skipped.push(...[...new Set(skipLines(result.output))].map((line) => `${name}: ${line}`));
    if (result.status === 0) console.log(`=== ${name}: passed in ${timing} ===`);
    else {
      console.log(`=== ${name}: FAILED (exit ${result.status}) after ${timing} ===`);
      failed.push(name);
    }
  }
}

const started = Date.now();
const cpuBefore = cpuTimes();
for (const lanes of steps) {
  if (lanes.length > 1) console.log(`\n=== at the same time: ${lanes.map((lane) => lane.map(({ name }) => name).join(', then ')).join(' | ')} ===`);
  await Promise.all(lanes.map((lane) => runLane(lane, lanes.length > 1)));
}
console.log(`\n=== all tiers: ${seconds(started)}, ${busyShare(cpuBefore)} ===`);
console.log(skipped.length > 0 ? `\nskipped (did not run):\n${skipped.map((line) => `  ${line}`).join('\n')}` : '\nnothing was skipped');
if (failed.length > 0) {
  console.error(`\nnpm test failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(skipped.length > 0 ? '\nnpm test: every tier that ran passed; see the skipped list above' : '\nnpm test: every tier passed');
