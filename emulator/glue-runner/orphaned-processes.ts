import { resolve } from 'node:path';
import { isAlive, listProcesses } from '../process/managed-process.js';

/**
 * Kills what an earlier emulator process left running of its Glue runs: a run's Spark process outlives
 * an emulator that is killed (it leads a process group of its own), and would go on computing outputs
 * that nobody uploads. They are told by their command line, which names a file under `workDir` (the
 * run's script, its Python files, its S3 mount), never by a pid alone, which may have been reused; a
 * group is killed whole (the JVM, the Python driver and its workers) only when its leader is one of them.
 * Call it before this process starts any run of its own. Resolves with the pids it killed, once they are gone.
 */
export async function stopOrphanedProcesses(workDir: string, timeoutMs = 10_000): Promise<number[]> {
  const marker = `${resolve(workDir)}/`;
  const orphans = listProcesses().filter((candidate) => candidate.command.includes(marker) && candidate.pid !== process.pid);
  const groups = new Set(orphans.filter((orphan) => orphan.pid === orphan.pgid).map((leader) => leader.pgid));
  const kill = (target: number) => {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // ended in the meantime
    }
  };
  for (const group of groups) kill(-group);
  for (const orphan of orphans) if (!groups.has(orphan.pgid)) kill(orphan.pid);
  const deadline = Date.now() + timeoutMs;
  while (orphans.some((orphan) => isAlive(orphan.pid)) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
  return orphans.map((orphan) => orphan.pid);
}
