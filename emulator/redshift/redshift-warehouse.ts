import { S3Client } from '@aws-sdk/client-s3';
import { DatabasePools } from '../postgres/database-pools.js';
import type { PostgresEngine } from '../postgres/postgres-engine.js';
import { RedshiftDataApi, type RedshiftDataApiOptions } from './redshift-data-api.js';
import { installRedshiftFunctions, redshiftSessionSettings } from './redshift-functions.js';
import { awsResultLimits, type ResultLimits } from './result-limits.js';
import { secretLogins } from './session-logins.js';
import { StatementExecutor } from './statement-executor.js';

export interface RedshiftWarehouseOptions extends RedshiftDataApiOptions {
  engine: PostgresEngine;
  /** Where COPY and UNLOAD read and write S3 (the moto server). */
  s3Endpoint: string;
  region: string;
  /** The Data API's limits on results; AWS's unless a test needs smaller ones. */
  resultLimits?: ResultLimits;
  /**
   * Sign each statement in as the user of its SecretArn, read from the control plane's Secrets Manager
   * (the cluster's master user stays the session role); off, every statement runs as the session role.
   */
  secretLogins?: boolean;
}

export interface RedshiftWarehouse {
  /** The Data API's operations, which the gateway serves. */
  api: RedshiftDataApi;
  /** Cancels running statements and closes the engine's connections (the engine keeps running). */
  stop(): Promise<void>;
}

/** The Redshift stand-in: Data API statements run on the Postgres engine; COPY and UNLOAD use the control plane's S3. */
export function openRedshiftWarehouse(options: RedshiftWarehouseOptions): RedshiftWarehouse {
  const pools = new DatabasePools(options.engine, { sessionSettings: redshiftSessionSettings, prepareDatabase: installRedshiftFunctions });
  const credentials = { accessKeyId: 'emulator', secretAccessKey: 'emulator' };
  const s3 = new S3Client({ endpoint: options.s3Endpoint, region: options.region, forcePathStyle: true, credentials });
  const logins = options.secretLogins ? secretLogins({ endpoint: options.s3Endpoint, region: options.region, credentials }) : undefined;
  const api = new RedshiftDataApi(new StatementExecutor(pools, s3, options.resultLimits ?? awsResultLimits, logins?.resolve), options);
  return {
    api,
    async stop() {
      await api.stop();
      await pools.end();
      s3.destroy();
      logins?.destroy();
    },
  };
}
