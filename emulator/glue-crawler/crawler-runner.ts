import { randomUUID } from 'node:crypto';
import {
  BatchCreatePartitionCommand, BatchDeletePartitionCommand, BatchGetCrawlersCommand, CreateTableCommand, GetCrawlerCommand,
  GetCrawlersCommand, GetPartitionsCommand, GetTableCommand, GlueClient, UpdateTableCommand,
  type Crawler, type LastCrawlInfo, type PartitionInput, type S3Target, type Table,
} from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig, emulatedAccountId, type AwsTarget } from '../../stage/aws-target.js';
import type { EventDispatcher } from '../events/event-dispatcher.js';
import { GlueApiError } from '../glue-runner/glue-errors.js';
import { inExistingOrder } from './catalog-columns.js';
import { partitionInput, schemaChanged, tableInput, type CrawledTable } from './catalog-table.js';
import { crawledTable } from './crawled-table.js';
import { crawlEndedDetail, crawlStartedDetail, type CrawlOutcome } from './crawler-events.js';
import { readFileSchema, type FileSchema } from './file-schema.js';
import { listFolder } from './s3-listing.js';
import { exclusionTest, isDataKey, partitionLayout, sampleFiles, targetFolder, type PartitionedFile } from './table-layout.js';

export type CrawlerState = 'READY' | 'RUNNING' | 'STOPPING';

export interface CrawlerRunnerOptions {
  /** Where crawler definitions, S3 objects and the Data Catalog live (moto). */
  controlPlane: AwsTarget;
  events?: EventDispatcher;
  /** Bytes read from the start of a text object to infer its schema. */
  sampleBytes?: number;
  log?: (message: string) => void;
}

type CrawlCounts = CrawlOutcome['counts'];

/** What the runner knows of one crawler beyond its definition in the control plane. */
interface CrawlerRecord {
  state: CrawlerState;
  /** CreationTime of the definition crawled: a crawler deleted and created again starts without the old one's history. */
  definitionCreated?: number;
  startedAt: number;
  stopRequested: boolean;
  lastCrawl?: LastCrawlInfo;
  lastCounts?: CrawlCounts;
  runtimesSeconds: number[];
  finished: Promise<void>;
}

class CrawlCancelledError extends Error {
  override readonly name = 'CrawlCancelledError';
}

const defaultSampleBytes = 1 << 20;
const partitionBatchSize = 100;
const crawlerLogGroup = '/aws-glue/crawlers';

/**
 * Runs the Glue crawlers defined in the control plane: StartCrawler lists each S3 target, infers the
 * schema of its files, and creates or updates the target's table and partitions in the Data Catalog.
 * moto keeps the definitions and the catalog; the crawl state and LastCrawl are kept here and laid
 * over moto's answers to GetCrawler(s), which cannot record them.
 */
export class CrawlerRunner {
  private readonly glue: GlueClient;
  private readonly s3: S3Client;
  private readonly records = new Map<string, CrawlerRecord>();

  constructor(private readonly options: CrawlerRunnerOptions) {
    this.glue = new GlueClient(awsClientConfig(options.controlPlane));
    this.s3 = new S3Client(awsClientConfig(options.controlPlane));
  }

  async startCrawler(input: { Name?: string }): Promise<Record<string, never>> {
    const name = input.Name ?? '';
    const known = this.records.get(name);
    if (known && known.state !== 'READY') throw new GlueApiError('CrawlerRunningException', `Crawler with name ${name} has already started`);
    // Claimed before the first await, so that two concurrent starts cannot both crawl.
    const record: CrawlerRecord = known ?? { state: 'READY', startedAt: 0, stopRequested: false, runtimesSeconds: [], finished: Promise.resolve() };
    this.records.set(name, record);
    Object.assign(record, { state: 'RUNNING', startedAt: Date.now(), stopRequested: false });
    let crawler: Crawler;
    try {
      crawler = await this.definition(name);
    } catch (error) {
      record.state = 'READY';
      if (!known) this.records.delete(name);
      throw error;
    }
    const definitionCreated = crawler.CreationTime?.getTime();
    if (record.definitionCreated !== definitionCreated) Object.assign(record, { definitionCreated, lastCrawl: undefined, lastCounts: undefined, runtimesSeconds: [] });
    this.options.log?.(`crawler ${name}: READY → RUNNING`);
    record.finished = this.crawl(crawler, record).catch((error) => this.options.log?.(`crawler ${name} crashed: ${(error as Error).stack ?? error}`));
    return {};
  }

  async stopCrawler(input: { Name?: string }): Promise<Record<string, never>> {
    const name = input.Name ?? '';
    await this.definition(name);
    const record = this.records.get(name);
    if (!record || record.state === 'READY') throw new GlueApiError('CrawlerNotRunningException', `Crawler with name ${name} isn't running`);
    if (record.stopRequested) throw new GlueApiError('CrawlerStoppingException', `Crawler with name ${name} is stopping`);
    record.stopRequested = true;
    this.transition(name, record, 'STOPPING');
    return {};
  }

  async getCrawler(input: { Name?: string }): Promise<{ Crawler: Crawler }> {
    return { Crawler: this.withCrawlState(await this.definition(input.Name ?? '')) };
  }

  async getCrawlers(input: { MaxResults?: number; NextToken?: string }): Promise<{ Crawlers: Crawler[]; NextToken?: string }> {
    const { Crawlers = [], NextToken } = await this.glue.send(new GetCrawlersCommand(input));
    return { Crawlers: Crawlers.map((crawler) => this.withCrawlState(crawler)), ...(NextToken ? { NextToken } : {}) };
  }

  async batchGetCrawlers(input: { CrawlerNames?: string[] }): Promise<{ Crawlers: Crawler[]; CrawlersNotFound: string[] }> {
    const { Crawlers = [], CrawlersNotFound = [] } = await this.glue.send(new BatchGetCrawlersCommand({ CrawlerNames: input.CrawlerNames ?? [] }));
    return { Crawlers: Crawlers.map((crawler) => this.withCrawlState(crawler)), CrawlersNotFound };
  }

  async getCrawlerMetrics(input: { CrawlerNameList?: string[] }) {
    const crawlers = input.CrawlerNameList
      ? (await this.glue.send(new BatchGetCrawlersCommand({ CrawlerNames: input.CrawlerNameList }))).Crawlers ?? []
      : await this.allCrawlers();
    return {
      CrawlerMetricsList: crawlers.map((crawler) => {
        const record = this.recordOf(crawler);
        const runtimes = record?.runtimesSeconds ?? [];
        const counts = record?.lastCounts;
        return {
          CrawlerName: crawler.Name,
          TimeLeftSeconds: 0,
          StillEstimating: record !== undefined && record.state !== 'READY',
          LastRuntimeSeconds: runtimes.at(-1) ?? 0,
          MedianRuntimeSeconds: median(runtimes),
          TablesCreated: counts?.TablesCreated ?? 0,
          TablesUpdated: counts?.TablesUpdated ?? 0,
          TablesDeleted: counts?.TablesDeleted ?? 0,
        };
      }),
    };
  }

  /** Stops every running crawl and waits for them to settle (used on shutdown). */
  async stopAll(): Promise<void> {
    for (const record of this.records.values()) record.stopRequested = true;
    await Promise.all([...this.records.values()].map((record) => record.finished));
  }

  private async allCrawlers(): Promise<Crawler[]> {
    const crawlers: Crawler[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.glue.send(new GetCrawlersCommand({ NextToken }));
      crawlers.push(...(page.Crawlers ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return crawlers;
  }

  private async definition(name: string): Promise<Crawler> {
    try {
      const { Crawler: crawler } = await this.glue.send(new GetCrawlerCommand({ Name: name }));
      return crawler!;
    } catch (error) {
      if ((error as Error).name === 'EntityNotFoundException') throw new GlueApiError('EntityNotFoundException', `Crawler entry with name ${name} does not exist`);
      throw error;
    }
  }

  /** The runner's record of this very definition: none for a crawler never started, or deleted and created again since. */
  private recordOf(crawler: Crawler): CrawlerRecord | undefined {
    const record = this.records.get(crawler.Name ?? '');
    return record?.definitionCreated === crawler.CreationTime?.getTime() ? record : undefined;
  }

  private withCrawlState(crawler: Crawler): Crawler {
    const record = this.recordOf(crawler);
    if (!record) return crawler;
    return {
      ...crawler,
      State: record.state,
      CrawlElapsedTime: record.state === 'READY' ? 0 : Date.now() - record.startedAt,
      ...(record.lastCrawl ? { LastCrawl: record.lastCrawl } : {}),
    };
  }

  private transition(name: string, record: CrawlerRecord, state: CrawlerState): void {
    this.options.log?.(`crawler ${name}: ${record.state} → ${state}`);
    record.state = state;
  }

  private async crawl(crawler: Crawler, record: CrawlerRecord): Promise<void> {
    const name = crawler.Name!;
    const crawlId = randomUUID();
    const startTime = new Date(record.startedAt);
    await this.publish(crawlStartedDetail(name, startTime));
    const counts: CrawlCounts = { TablesCreated: 0, TablesUpdated: 0, TablesDeleted: 0, PartitionsCreated: 0, PartitionsDeleted: 0 };
    let failure: Error | undefined;
    try {
      const targets = crawler.Targets?.S3Targets ?? [];
      if (targets.length === 0) throw new Error(`crawler ${name} has no S3 targets: the emulator crawls S3 targets only`);
      const tableNames = new Set<string>();
      for (const target of targets) await this.crawlTarget({ crawler, record, target, counts, tableNames });
    } catch (error) {
      failure = error as Error;
    }
    if (record.state === 'RUNNING') this.transition(name, record, 'STOPPING');
    const status = failure instanceof CrawlCancelledError ? 'CANCELLED' : failure ? 'FAILED' : 'SUCCEEDED';
    record.lastCrawl = {
      Status: status, LogGroup: crawlerLogGroup, LogStream: name, MessagePrefix: crawlId, StartTime: startTime,
      ...(status === 'FAILED' ? { ErrorMessage: failure!.message } : {}),
    };
    record.lastCounts = counts;
    const completedAt = new Date();
    const runtimeSeconds = (completedAt.getTime() - record.startedAt) / 1000;
    record.runtimesSeconds.push(runtimeSeconds);
    this.options.log?.(`crawler ${name}: crawl ${status}${status === 'FAILED' ? `: ${failure!.message}` : ''} (${JSON.stringify(counts)})`);
    this.transition(name, record, 'READY');
    const ended = crawlEndedDetail({ crawlerName: name, status, errorMessage: failure?.message, runtimeSeconds, completedAt, counts });
    if (ended) await this.publish(ended);
  }

  private async crawlTarget(options: { crawler: Crawler; record: CrawlerRecord; target: S3Target; counts: CrawlCounts; tableNames: Set<string> }): Promise<void> {
    const { crawler, record, target, counts, tableNames } = options;
    const name = crawler.Name!;
    const path = target.Path ?? '';
    const folder = targetFolder(path);
    const excluded = exclusionTest(target.Exclusions ?? []);
    const objects = (await listFolder(this.s3, folder))
      .map((object) => ({ ...object, relativeKey: object.key.slice(folder.prefix.length) }))
      .filter((object) => object.size > 0 && isDataKey(object.relativeKey) && !excluded(object.relativeKey));
    const layout = partitionLayout(objects.map((object) => object.relativeKey));
    if (layout.skipped.length > 0) this.options.log?.(`crawler ${name}: ${layout.skipped.length} object(s) under ${path} sit at another folder depth than the table's and were left out (first: ${layout.skipped[0]})`);
    const sizes = new Map(objects.map((object) => [object.relativeKey, object.size]));
    const schemas = new Map<string, FileSchema | undefined>();
    // One at a time: moto answers reads one by one, so concurrent reads measured no faster.
    for (const file of sampleFiles(layout.files, target.SampleSize)) {
      throwIfStopped(record);
      schemas.set(file.relativeKey, await readFileSchema(this.s3, {
        bucket: folder.bucket, key: folder.prefix + file.relativeKey, size: sizes.get(file.relativeKey)!,
        sampleBytes: this.options.sampleBytes ?? defaultSampleBytes,
      }));
    }
    const found = crawledTable({ crawlerName: name, tablePrefix: crawler.TablePrefix, targetPath: path, layout, schemas });
    if (!found) {
      this.options.log?.(`crawler ${name}: no CSV or Parquet data under ${path}; no table written`);
      return;
    }
    const table = tableNames.has(found.table.name) ? { ...found.table, name: `${found.table.name}_${tableNames.size}` } : found.table;
    tableNames.add(table.name);
    throwIfStopped(record);
    await this.writeTable({ crawler, table, counts });
    if (table.partitionKeys.length > 0) await this.writePartitions({ crawler, table, files: found.files, counts });
  }

  private async writeTable(options: { crawler: Crawler; table: CrawledTable; counts: CrawlCounts }): Promise<void> {
    const { crawler, table, counts } = options;
    const DatabaseName = crawler.DatabaseName;
    const existing = await this.existingTable(DatabaseName!, table.name);
    const existingNames = (existing?.StorageDescriptor?.Columns ?? []).map((column) => column.Name ?? '');
    const TableInput = tableInput({ ...table, columns: inExistingOrder(table.columns, existingNames) });
    if (!existing) {
      await this.glue.send(new CreateTableCommand({ DatabaseName, TableInput }));
      counts.TablesCreated++;
      return;
    }
    if (!schemaChanged(existing, TableInput)) return;
    if (crawler.SchemaChangePolicy?.UpdateBehavior === 'LOG') {
      this.options.log?.(`crawler ${crawler.Name}: the schema of ${DatabaseName}.${table.name} changed; not updated (UpdateBehavior LOG)`);
      return;
    }
    await this.glue.send(new UpdateTableCommand({ DatabaseName, TableInput }));
    counts.TablesUpdated++;
  }

  private async existingTable(databaseName: string, tableName: string): Promise<Table | undefined> {
    try {
      return (await this.glue.send(new GetTableCommand({ DatabaseName: databaseName, Name: tableName }))).Table;
    } catch (error) {
      const message = (error as Error).message ?? '';
      // moto answers EntityNotFoundException for a missing table and for a missing database: only the first is expected.
      if ((error as Error).name === 'EntityNotFoundException' && /^Table /.test(message)) return undefined;
      if ((error as Error).name === 'EntityNotFoundException') throw new Error(`database ${databaseName} does not exist in the Data Catalog: create it (aws_glue_catalog_database) before crawling`);
      throw new Error(`cannot read table ${databaseName}.${tableName}: ${(error as Error).name}: ${message}`);
    }
  }

  private async writePartitions(options: { crawler: Crawler; table: CrawledTable; files: PartitionedFile[]; counts: CrawlCounts }): Promise<void> {
    const { crawler, table, files, counts } = options;
    const DatabaseName = crawler.DatabaseName;
    const found = new Map(files.map((file) => [JSON.stringify(file.values), file]));
    const existing = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await this.glue.send(new GetPartitionsCommand({ DatabaseName, TableName: table.name, NextToken }));
      for (const partition of page.Partitions ?? []) existing.add(JSON.stringify(partition.Values ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    const added: PartitionInput[] = [...found].filter(([values]) => !existing.has(values)).map(([, file]) => partitionInput(table, file));
    for (let start = 0; start < added.length; start += partitionBatchSize) {
      const { Errors = [] } = await this.glue.send(new BatchCreatePartitionCommand({
        DatabaseName, TableName: table.name, PartitionInputList: added.slice(start, start + partitionBatchSize),
      }));
      if (Errors.length > 0) throw new Error(`cannot add partition ${JSON.stringify(Errors[0]!.PartitionValues)} to ${DatabaseName}.${table.name}: ${Errors[0]!.ErrorDetail?.ErrorMessage}`);
      counts.PartitionsCreated += Math.min(partitionBatchSize, added.length - start);
    }
    const gone = [...existing].filter((values) => !found.has(values)).map((values) => ({ Values: JSON.parse(values) as string[] }));
    if (gone.length === 0) return;
    if (crawler.SchemaChangePolicy?.DeleteBehavior !== 'DELETE_FROM_DATABASE') {
      this.options.log?.(`crawler ${crawler.Name}: ${gone.length} partition(s) of ${DatabaseName}.${table.name} no longer have data; kept (DeleteBehavior ${crawler.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE'})`);
      return;
    }
    for (let start = 0; start < gone.length; start += partitionBatchSize) {
      await this.glue.send(new BatchDeletePartitionCommand({ DatabaseName, TableName: table.name, PartitionsToDelete: gone.slice(start, start + partitionBatchSize) }));
    }
    counts.PartitionsDeleted += gone.length;
  }

  private async publish(detail: Record<string, string>): Promise<void> {
    if (!this.options.events) return;
    try {
      await this.options.events.publish({ source: 'aws.glue', 'detail-type': 'Glue Crawler State Change', detail: { accountId: emulatedAccountId, ...detail } });
    } catch (error) {
      this.options.log?.(`could not publish the state change of crawler ${detail.crawlerName}: ${error}`);
    }
  }
}

/** A stopped crawl ends between two reads; what it already wrote to the catalog stays, as on AWS. */
function throwIfStopped(record: CrawlerRecord): void {
  if (record.stopRequested) throw new CrawlCancelledError('the crawl was stopped');
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
