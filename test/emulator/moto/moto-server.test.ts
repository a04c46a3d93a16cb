import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, PortInUseError } from '../../../emulator/process/managed-process.js';
import { startMoto } from '../../../emulator/moto/moto-server.js';
import { rawRequest } from '../http-request.js';

const stateDir = mkdtempSync(join(tmpdir(), 'sdp-moto-'));

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('moto server manager', () => {
  it('starts moto on 127.0.0.1, serves AWS calls, logs, and stops leaving no process behind', async () => {
    const port = await freePort();
    const logFile = join(stateDir, 'moto.log');
    const moto = await startMoto({ port, logFile });
    expect(moto.endpoint).toBe(`http://127.0.0.1:${port}`);
    const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'manager-test' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets!.map((bucket) => bucket.Name)).toEqual(['manager-test']);
    s3.destroy();
    expect(readFileSync(logFile, 'utf8')).toMatch(/PUT \/manager-test/);
    await moto.stop();
    expect(isAlive(moto.pid)).toBe(false);
    await expect(fetch(`${moto.endpoint}/moto-api/`)).rejects.toThrow();
    // The port is free again: a restart on it works.
    const again = await startMoto({ port, logFile });
    await again.stop();
  });

  it('answers only this machine\'s programs on its own port: no CORS, no foreign Origin, Host or page request', async () => {
    const moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'local-only.log') });
    try {
      const plain = await rawRequest(`${moto.endpoint}/`);
      expect(plain.status).toBe(200);
      expect(plain.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await rawRequest(`${moto.endpoint}/bucket`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const form = await rawRequest(`${moto.endpoint}/`, {
        method: 'POST', body: 'Action=CreateUser&UserName=intruder&Version=2010-05-08',
        headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(403);
      expect((await rawRequest(`${moto.endpoint}/`, { headers: { host: 'rebound.example' } })).status).toBe(403);
      expect((await rawRequest(`${moto.endpoint}/`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
      expect(readFileSync(join(stateDir, 'local-only.log'), 'utf8')).not.toMatch(/intruder/);
    } finally {
      await moto.stop();
    }
  });

  it('fails with an error naming the port when it is already taken', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const start = startMoto({ port, logFile: join(stateDir, 'taken.log') });
      await expect(start).rejects.toBeInstanceOf(PortInUseError);
      await expect(start).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('reports the end of the log when moto exits before it is ready', async () => {
    const start = startMoto({ port: await freePort(), logFile: join(stateDir, 'broken.log'), python: process.execPath });
    await expect(start).rejects.toThrow(/exited \(code 1\) before it was ready[\s\S]*moto_server\.py/);
  });
});
