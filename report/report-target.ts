import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { warehouseConnection, type WarehouseConnection } from '../stage/warehouse-connection.js';

export class ReportConfigError extends Error {
  override readonly name = 'ReportConfigError';
}

/** Where the report reads and writes: the stage's warehouse (as db:migrate reaches it) and its data bucket for reports/. */
export interface ReportTarget extends WarehouseConnection {
  s3Client: S3ClientConfig;
  bucket: string;
}

/** The warehouse connection of the stage, plus the data bucket: `bucket` when given, else the Terraform output data_bucket_name. */
export async function resolveReportTarget(options: Parameters<typeof warehouseConnection>[0] & { bucket?: string }): Promise<ReportTarget> {
  const connection = await warehouseConnection(options);
  const bucket = options.bucket ?? connection.outputs.data_bucket_name;
  if (typeof bucket !== 'string' || bucket === '') {
    throw new ReportConfigError(`no data bucket for stage ${options.stage}: pass --bucket NAME, or apply the stage's stack so Terraform outputs data_bucket_name`);
  }
  // The same endpoint, region and credentials as the Data API; an emulated endpoint serves buckets by path, as dev:up's clients expect.
  const { endpoint, region, credentials } = connection.client;
  const s3Client: S3ClientConfig = endpoint ? { endpoint, region, credentials, forcePathStyle: true } : region ? { region } : {};
  return { ...connection, s3Client, bucket };
}
