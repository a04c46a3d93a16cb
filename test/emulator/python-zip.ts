import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A zip of Python modules (file name → source), as Glue's --extra-py-files ships them; written by Python's zipfile. */
export function pythonZip(modules: Record<string, string>): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'sdp-pyzip-'));
  try {
    execFileSync('python3', ['-c', 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor n,t in json.loads(sys.argv[2]).items(): z.writestr(n,t)\nz.close()', join(dir, 'm.zip'), JSON.stringify(modules)]);
    return readFileSync(join(dir, 'm.zip'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
