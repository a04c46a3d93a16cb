import { join } from 'node:path';

/** Layout of the git-ignored state folder of the local stage. */
export function devPaths(stateDir: string) {
  return {
    stateDir,
    logs: join(stateDir, 'logs'),
    pids: join(stateDir, 'pids'),
    endpoints: join(stateDir, 'endpoints.json'),
    terraform: join(stateDir, 'terraform'),
    /** The Glue runner's folder: one folder per run (state, log, S3 mount) and the pre-warmed processes' pool/. */
    glueRuns: join(stateDir, 'glue-runs'),
    pidFile: (component: string) => join(stateDir, 'pids', `${component}.pid`),
    logFile: (component: string) => join(stateDir, 'logs', `${component}.log`),
  };
}

export const defaultPorts = { gateway: 4566, moto: 4567 };
