import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { postgresLiteral } from './postgres-literal.js';
import { listObjects, writeObject } from './s3-objects.js';
import type { UnloadCommand } from './statement-plan.js';

export class UnloadError extends Error {
  override readonly name = 'UnloadError';
}

/**
 * Runs a Redshift UNLOAD: the query's rows as one delimited object, named as Redshift names the first
 * file (`<prefix>000` with PARALLEL OFF, `<prefix>0000_part_00` otherwise). Returns the rows written.
 */
export async function unloadToS3(options: { client: pg.ClientBase; s3: S3Client; unload: UnloadCommand }): Promise<number> {
  const { client, s3, unload } = options;
  if (!unload.allowOverwrite && (await listObjects(s3, unload.destination)).length > 0) {
    throw new UnloadError(`UNLOAD: the destination ${unload.destination} is not empty; use another prefix, delete its objects, or add ALLOWOVERWRITE`);
  }
  const copyOptions = [`FORMAT ${unload.format}`, `DELIMITER ${postgresLiteral(unload.delimiter ?? (unload.format === 'csv' ? ',' : '|'))}`];
  if (unload.header) copyOptions.push('HEADER');
  if (unload.nullAs !== undefined) copyOptions.push(`NULL ${postgresLiteral(unload.nullAs)}`);
  const query = unload.query.trim().replace(/;+$/, '');
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT WITH (${copyOptions.join(', ')})`));
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  await writeObject(s3, `${unload.destination}${unload.parallel ? '0000_part_00' : '000'}`, Buffer.concat(chunks));
  return stream.rowCount;
}
