import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { down, status, up, type DevEnvConfig } from '../../emulator/dev-env/dev-env.js';
import { healthPath } from '../../emulator/gateway/gateway-server.js';
import { PortInUseError } from '../../emulator/process/managed-process.js';
import { devPaths } from '../../stage/dev-paths.js';
import { venvDir, venvPython } from '../../stage/python-env.js';
import { waitFor } from '../deadline.js';
import { freePort } from './emulator-harness.js';

const configs: DevEnvConfig[] = [];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processesUsing(folder: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,command='], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(folder));
}

/** A dev environment of its own for each test: private state folder, free ports; dev:down and removed at the end. */
async function privateConfig(): Promise<DevEnvConfig> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sdp-dev-env-'));
  // Run as root, the warehouse's embedded Postgres runs as an unprivileged user that must be able to enter this folder.
  chmodSync(stateDir, 0o711);
  const config: DevEnvConfig = {
    stateDir, region: 'us-east-1', python: venvPython, venvDir, iam: true,
    ports: { gateway: await freePort(), moto: await freePort() },
  };
  configs.push(config);
  return config;
}

afterAll(async () => {
  for (const config of configs) {
    await down(config);
    rmSync(config.stateDir, { recursive: true, force: true });
  }
});

describe('dev environment', () => {
  it('starts, reuses what runs, restarts what died and stops everything', async () => {
    const config = await privateConfig();
    const first = await up(config);
    expect(first.freshControlPlane).toBe(true);
    const running = await status(config);
    expect(running.map((component) => [component.name, component.healthy])).toEqual([['moto', true], ['emulator', true]]);
    const [moto, emulator] = running.map((component) => component.pid!);

    expect((await up(config)).freshControlPlane).toBe(false);
    expect((await status(config)).map((component) => component.pid)).toEqual([moto, emulator]);

    process.kill(emulator!, 'SIGKILL');
    await up(config);
    const restarted = await status(config);
    expect(restarted[0]!.pid).toBe(moto);
    expect(restarted[1]!.pid).not.toBe(emulator);
    expect(restarted[1]!.healthy).toBe(true);
    expect(await (await fetch(restarted[1]!.url + healthPath)).json()).toMatchObject({ iam: 'on' });

    // Asked for the other IAM setting (EMULATOR_IAM=off), dev:up restarts the emulator with it.
    await up({ ...config, iam: false });
    const switched = await status(config);
    expect(switched[1]!.pid).not.toBe(restarted[1]!.pid);
    expect(await (await fetch(switched[1]!.url + healthPath)).json()).toMatchObject({ iam: 'off' });

    // Killed again, the emulator leaves its Postgres behind: dev:down stops that too.
    process.kill(switched[1]!.pid!, 'SIGKILL');
    await down(config);
    expect((await status(config)).every((component) => !component.healthy && component.pid === undefined)).toBe(true);
    await waitFor('moto and the emulator to be gone', async () => ([moto, restarted[1]!.pid, switched[1]!.pid].some((pid) => alive(pid!)) ? undefined : true), 15_000);
    // Each kill above left the emulator's embedded Postgres running; the restart and dev:down stopped it.
    expect(processesUsing(config.stateDir)).toEqual([]);
  });

  it('names the port that is already taken', async () => {
    const config = await privateConfig();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(config.ports.gateway, '127.0.0.1', resolve));
    try {
      const attempt = up(config);
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(`port ${config.ports.gateway}`);
    } finally {
      blocker.close();
    }
  });

  it('stops the emulator it started beside moto when moto cannot start', async () => {
    const config = await privateConfig();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(config.ports.moto, '127.0.0.1', resolve));
    try {
      await expect(up(config)).rejects.toThrow(`port ${config.ports.moto}`);
      expect((await status(config)).map((component) => component.pid)).toEqual([undefined, undefined]);
      const emulatorProcesses = () => processesUsing(`"gatewayPort":${config.ports.gateway}`);
      await waitFor('the emulator to be gone', async () => (emulatorProcesses().length === 0 ? true : undefined), 15_000);
    } finally {
      blocker.close();
    }
  });

  it('leaves alone an unrelated process that reuses a pid its pid files name', async () => {
    const config = await privateConfig();
    const paths = devPaths(config.stateDir);
    // Detached, like the components, so that a signal to its process group would reach it too.
    const stranger = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    try {
      mkdirSync(paths.pids, { recursive: true });
      for (const component of ['moto', 'emulator']) writeFileSync(paths.pidFile(component), String(stranger.pid));
      expect((await status(config)).map((component) => component.pid)).toEqual([undefined, undefined]);
      await down(config);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(alive(stranger.pid!)).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
    }
  });
});
