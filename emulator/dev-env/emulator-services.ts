import { join } from 'node:path';
import { devPaths } from '../../stage/dev-paths.js';
import { AsyncInvoker } from '../events/async-invoker.js';
import { EventDispatcher } from '../events/event-dispatcher.js';
import { GatewayServer } from '../gateway/gateway-server.js';
import { glueService } from '../gateway/services/glue-service.js';
import { lambdaService } from '../gateway/services/lambda-service.js';
import { redshiftDataService } from '../gateway/services/redshift-data-service.js';
import { CrawlerRunner } from '../glue-crawler/crawler-runner.js';
import { GlueRunner } from '../glue-runner/glue-runner.js';
import { IamAuthorizer } from '../iam/iam-authorizer.js';
import { iamEnforced, iamOffWarning } from '../iam/iam-mode.js';
import { RoleSessions } from '../iam/role-sessions.js';
import { FunctionInvoker } from '../lambda-runtime/function-invoker.js';
import { LambdaCodeStore } from '../lambda-runtime/lambda-code-store.js';
import { LambdaRuntime } from '../lambda-runtime/lambda-runtime.js';
import { waitForMoto } from '../moto/moto-server.js';
import { startPostgresEngine, type PostgresEngine } from '../postgres/postgres-engine.js';
import { openRedshiftWarehouse, type RedshiftWarehouse } from '../redshift/redshift-warehouse.js';

export interface EmulatorServicesConfig {
  stateDir: string;
  motoUrl: string;
  gatewayPort: number;
  region: string;
  python: string;
  sparkSubmit: string;
  /** The warehouse engine: this Postgres when given, else a private embedded Postgres under stateDir/postgres. */
  postgresUrl?: string;
  /** Pre-warmed Spark processes per glueetl job (GLUE_RUNNER_POOL, read by dev:up); 0 or absent: every run starts cold. */
  gluePool?: number;
  /** Test knobs: shorter Glue minutes, pool limits and Lambda async retry delays. */
  glueMinuteMs?: number;
  gluePoolLimits?: { idleLimitMs?: number; sweepMs?: number };
  asyncRetryDelaysMs?: number[];
  /** Whether the gateway enforces IAM on the calls of functions and job runs; by default EMULATOR_IAM decides (on unless "off"). */
  iam?: boolean;
  log?: (message: string) => void;
}

export interface EmulatorServices {
  gatewayUrl: string;
  glue: GlueRunner;
  asyncInvoker: AsyncInvoker;
  invoker: FunctionInvoker;
  /** The IAM decision log (JSON lines), present when IAM is enforced. */
  iamLogFile?: string;
  stop(): Promise<void>;
}

/** Wires the gateway, the Glue runner, EventBridge delivery and the Lambda runtime around one moto. */
export async function startEmulatorServices(config: EmulatorServicesConfig): Promise<EmulatorServices> {
  const warehouse = await startWarehouse(config);
  // dev:up starts moto and this process side by side: the warehouse above needs no moto, all below may.
  await waitForMoto(config.motoUrl).catch(async (error: unknown) => {
    await warehouse.dataApi.stop();
    await warehouse.engine.stop();
    throw error;
  });
  const controlPlane = { endpoint: config.motoUrl, region: config.region };
  const gatewayTarget = { endpoint: `http://127.0.0.1:${config.gatewayPort}`, region: config.region };
  const codeStore = new LambdaCodeStore(join(config.stateDir, 'lambda-code'));
  // Functions and job runs always act with their role's keys, as on AWS; EMULATOR_IAM only decides whether the gateway checks them.
  const roleSessions = new RoleSessions(controlPlane);
  const authorizer = (config.iam ?? iamEnforced())
    ? new IamAuthorizer({ controlPlane, decisionLogFile: join(config.stateDir, 'logs', 'iam.log'), log: config.log })
    : undefined;
  if (!authorizer) {
    config.log?.(iamOffWarning);
    console.warn(iamOffWarning);
  }
  const invoker = new FunctionInvoker({ controlPlane, handlerEndpoint: gatewayTarget, codeStore, logDir: join(config.stateDir, 'logs'), roleSessions });
  const asyncInvoker = new AsyncInvoker({ controlPlane, invoker, retryDelaysMs: config.asyncRetryDelaysMs, log: config.log, roleSessions, roleEndpoint: gatewayTarget });
  const events = new EventDispatcher({ controlPlane, asyncInvoker, log: config.log });
  const glue = new GlueRunner({
    controlPlane, jobEndpoint: gatewayTarget, python: config.python, sparkSubmit: config.sparkSubmit,
    workDir: devPaths(config.stateDir).glueRuns, events, minuteMs: config.glueMinuteMs, log: config.log, roleSessions,
    pool: { size: config.gluePool ?? 0, ...config.gluePoolLimits },
  });
  const crawlers = new CrawlerRunner({ controlPlane, events, log: config.log });
  const gateway = new GatewayServer({
    port: config.gatewayPort, motoUrl: config.motoUrl, authorizer, log: config.log,
    services: [
      glueService(glue, crawlers),
      lambdaService({ invoker, asyncInvoker, codeStore, controlPlane }),
      redshiftDataService(warehouse.dataApi.api),
    ],
  });
  // Before serving: no request may see a run that died with an earlier emulator process as running.
  await glue.recover();
  const gatewayUrl = await gateway.start();
  // Once serving: the loader audits each run whose end is announced now through the gateway (glue:GetJobRun).
  await glue.resume();
  const runtime = new LambdaRuntime({ controlPlane, invoker, log: config.log, roleSessions, pollEndpoint: gatewayTarget });
  await runtime.start();
  return {
    gatewayUrl, glue, asyncInvoker, invoker, iamLogFile: authorizer?.logFile,
    async stop() {
      await runtime.stop();
      await glue.stopAll();
      await crawlers.stopAll();
      await gateway.stop();
      await warehouse.dataApi.stop();
      await warehouse.engine.stop();
    },
  };
}

/** The Redshift stand-in: a Postgres engine behind the emulated Data API, whose COPY and UNLOAD use moto's S3. */
async function startWarehouse(config: EmulatorServicesConfig): Promise<{ engine: PostgresEngine; dataApi: RedshiftWarehouse }> {
  const engine = await startPostgresEngine({ url: config.postgresUrl, stateDir: join(config.stateDir, 'postgres'), log: config.log });
  const dataApi = openRedshiftWarehouse({ engine, s3Endpoint: config.motoUrl, region: config.region, secretLogins: true });
  config.log?.(`warehouse: Redshift Data API on ${config.postgresUrl ? 'the given Postgres' : 'an embedded Postgres'}`);
  return { engine, dataApi };
}
