import { join } from 'node:path';
import { AsyncInvoker } from '../events/async-invoker.js';
import { EventDispatcher } from '../events/event-dispatcher.js';
import { GatewayServer } from '../gateway/gateway-server.js';
import { CrawlerRunner } from '../glue-crawler/crawler-runner.js';
import { GlueRunner } from '../glue-runner/glue-runner.js';
import { FunctionInvoker } from '../lambda-runtime/function-invoker.js';
import { LambdaCodeStore } from '../lambda-runtime/lambda-code-store.js';
import { LambdaRuntime } from '../lambda-runtime/lambda-runtime.js';
import { startPostgresEngine, type PostgresEngine } from '../postgres/postgres-engine.js';
import { startRedshiftDataApi, type RedshiftDataServer } from '../redshift/redshift-data-server.js';

export interface EmulatorServicesConfig {
  stateDir: string;
  motoUrl: string;
  gatewayPort: number;
  region: string;
  python: string;
  sparkSubmit: string;
  /** The warehouse engine: this Postgres when given, else a private embedded Postgres under stateDir/postgres. */
  postgresUrl?: string;
  /** Test knobs: shorter Glue minutes and Lambda async retry delays. */
  glueMinuteMs?: number;
  asyncRetryDelaysMs?: number[];
  log?: (message: string) => void;
}

export interface EmulatorServices {
  gatewayUrl: string;
  redshiftDataUrl: string;
  glue: GlueRunner;
  asyncInvoker: AsyncInvoker;
  invoker: FunctionInvoker;
  stop(): Promise<void>;
}

/** Wires the gateway, the Glue runner, EventBridge delivery and the Lambda runtime around one moto. */
export async function startEmulatorServices(config: EmulatorServicesConfig): Promise<EmulatorServices> {
  const warehouse = await startWarehouse(config);
  const controlPlane = { endpoint: config.motoUrl, region: config.region };
  const gatewayTarget = { endpoint: `http://127.0.0.1:${config.gatewayPort}`, region: config.region };
  const codeStore = new LambdaCodeStore(join(config.stateDir, 'lambda-code'));
  const invoker = new FunctionInvoker({ controlPlane, handlerEndpoint: gatewayTarget, codeStore, logDir: join(config.stateDir, 'logs') });
  const asyncInvoker = new AsyncInvoker({ controlPlane, invoker, retryDelaysMs: config.asyncRetryDelaysMs, log: config.log });
  const events = new EventDispatcher({ controlPlane, asyncInvoker, log: config.log });
  const glue = new GlueRunner({
    controlPlane, jobEndpoint: gatewayTarget, python: config.python, sparkSubmit: config.sparkSubmit,
    workDir: join(config.stateDir, 'glue-runs'), events, minuteMs: config.glueMinuteMs, log: config.log,
  });
  const crawlers = new CrawlerRunner({ controlPlane, events, log: config.log });
  const gateway = new GatewayServer({
    port: config.gatewayPort, motoUrl: config.motoUrl, redshiftDataUrl: warehouse.dataApi.endpoint,
    glue, crawlers, invoker, asyncInvoker, codeStore, log: config.log,
  });
  const gatewayUrl = await gateway.start();
  const runtime = new LambdaRuntime({ controlPlane, invoker, log: config.log });
  await runtime.start();
  return {
    gatewayUrl, redshiftDataUrl: warehouse.dataApi.endpoint, glue, asyncInvoker, invoker,
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
async function startWarehouse(config: EmulatorServicesConfig): Promise<{ engine: PostgresEngine; dataApi: RedshiftDataServer }> {
  const engine = await startPostgresEngine({ url: config.postgresUrl, stateDir: join(config.stateDir, 'postgres'), log: config.log });
  try {
    const dataApi = await startRedshiftDataApi({ port: 0, engine, s3Endpoint: config.motoUrl, region: config.region, secretLogins: true });
    config.log?.(`warehouse: Redshift Data API at ${dataApi.endpoint} on ${config.postgresUrl ? 'the given Postgres' : 'an embedded Postgres'}`);
    return { engine, dataApi };
  } catch (error) {
    await engine.stop();
    throw error;
  }
}
