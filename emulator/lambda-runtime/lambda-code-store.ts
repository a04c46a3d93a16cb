import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class LambdaCodeNotFoundError extends Error {
  override readonly name = 'LambdaCodeNotFoundError';
}

/**
 * Keeps every function code package that passes through the gateway, keyed by its CodeSha256, because
 * moto keeps the zip in memory and only returns a Code.Location that cannot be downloaded.
 */
export class LambdaCodeStore {
  constructor(private readonly dir: string) {}

  /** Stores a zip and returns its CodeSha256 (base64 SHA-256 of the zip, as Lambda reports it). */
  save(zip: Buffer): string {
    const sha = createHash('sha256').update(zip).digest('base64');
    mkdirSync(this.dir, { recursive: true });
    const path = this.zipPath(sha);
    if (!existsSync(path)) {
      writeFileSync(`${path}.tmp`, zip);
      renameSync(`${path}.tmp`, path);
    }
    return sha;
  }

  /** Returns a folder with the unpacked package (unpacked once per code version). */
  unpacked(options: { functionName: string; codeSha256: string }): string {
    const zip = this.zipPath(options.codeSha256);
    if (!existsSync(zip)) {
      throw new LambdaCodeNotFoundError(
        `the code package of function ${options.functionName} (CodeSha256 ${options.codeSha256}) was not seen by the gateway: ` +
        'create or update the function through the emulator endpoint (AWS_ENDPOINT_URL), e.g. by re-running `npm run dev:up`',
      );
    }
    const dir = zip.replace(/\.zip$/, '');
    if (!existsSync(dir)) this.unpack(zip, dir, options.functionName);
    // In Lambda, /var/task has no parent package.json, so index.js is CommonJS unless the package says
    // otherwise; here the folder lies inside a project whose package.json may say "module".
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) writeFileSync(manifest, `${JSON.stringify({ type: 'commonjs' })}\n`);
    return dir;
  }

  private unpack(zip: string, dir: string, functionName: string): void {
    const result = spawnSync('python3', ['-m', 'zipfile', '-e', zip, `${dir}.tmp`], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`could not unpack the code of function ${functionName}: ${result.stderr}`);
    renameSync(`${dir}.tmp`, dir);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private zipPath(codeSha256: string): string {
    return join(this.dir, `${Buffer.from(codeSha256, 'base64').toString('hex')}.zip`);
  }
}
