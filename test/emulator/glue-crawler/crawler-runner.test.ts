import { readFileSync } from 'node:fs';
import {
  CrawlerNotRunningException, CrawlerRunningException, CreateCrawlerCommand, DeleteCrawlerCommand, CreateDatabaseCommand, EntityNotFoundException, GetCrawlerCommand,
  GetCrawlerMetricsCommand, GetCrawlersCommand, GetPartitionsCommand, GetTableCommand, GlueClient, StartCrawlerCommand, StopCrawlerCommand,
  type Crawler,
} from '@aws-sdk/client-glue';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../deadline.js';
import { startHarness, type Harness } from '../emulator-harness.js';

const bucket = 'crawler-test';
const database = 'sales_catalog';
const sparkParquet = readFileSync(new URL('../../fixtures/redshift/clean-sales.snappy.parquet', import.meta.url));
const rawCsv = [
  'order_id,order_date,customer_id,product_name,quantity,unit_price,discount',
  'O-1,2024-03-05,C-1,"Desk, oak",3,19.99,0.15',
  'O-2,2024-03-06,C-2,"Lamp ""Arc""",1,1299,0',
  'O-3,2024-03-07,C-3,Ink,12,0.045,',
  '',
].join('\n');

let harness: Harness;
let glue: GlueClient;
let s3: S3Client;
const logLines: string[] = [];

async function defineCrawler(options: { name: string; path: string; tablePrefix: string; deleteBehavior?: 'LOG' | 'DELETE_FROM_DATABASE'; exclusions?: string[] }) {
  await glue.send(new CreateCrawlerCommand({
    Name: options.name, Role: 'arn:aws:iam::123456789012:role/crawler', DatabaseName: database, TablePrefix: options.tablePrefix,
    Targets: { S3Targets: [{ Path: options.path, Exclusions: options.exclusions }] },
    SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: options.deleteBehavior ?? 'LOG' },
  }));
}

/** A crawler of a folder with data, whose catalog database does not exist: its crawls fail. */
async function defineOrphanCrawler(name: string) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `orphaned/${name}/sales_data.csv`, Body: rawCsv }));
  await glue.send(new CreateCrawlerCommand({
    Name: name, Role: 'arn:aws:iam::123456789012:role/crawler', DatabaseName: 'missing_db',
    Targets: { S3Targets: [{ Path: `s3://${bucket}/orphaned/${name}/` }] },
  }));
}

async function partitionValues(table: string): Promise<string[][]> {
  const { Partitions } = await glue.send(new GetPartitionsCommand({ DatabaseName: database, TableName: table }));
  return Partitions!.map((partition) => partition.Values!).sort();
}

async function crawl(name: string): Promise<Crawler> {
  await glue.send(new StartCrawlerCommand({ Name: name }));
  return waitFor(`crawler ${name} to be READY`, async () => {
    const { Crawler: crawler } = await glue.send(new GetCrawlerCommand({ Name: name }));
    return crawler!.State === 'READY' ? crawler : undefined;
  });
}

async function putParquet(key: string) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: sparkParquet }));
}

beforeAll(async () => {
  harness = await startHarness({ log: (line) => logLines.push(line) });
  glue = new GlueClient(harness.aws);
  s3 = new S3Client(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: database } }));
});

afterAll(async () => harness?.close());

describe('glue crawler', () => {
  it('catalogs raw CSV with quoted commas: header names, sampled types, OpenCSVSerde, no partitions', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/sales_data.csv', Body: rawCsv }));
    await defineCrawler({ name: 'sales-raw', path: `s3://${bucket}/raw/`, tablePrefix: 'raw_' });
    const crawler = await crawl('sales-raw');
    expect(crawler.LastCrawl).toMatchObject({ Status: 'SUCCEEDED', LogGroup: '/aws-glue/crawlers', LogStream: 'sales-raw' });
    expect(crawler.LastCrawl!.StartTime).toBeInstanceOf(Date);
    const { Table: table } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: 'raw_raw' }));
    expect(table!.StorageDescriptor!.Columns!.map(({ Name, Type }) => [Name, Type])).toEqual([
      ['order_id', 'string'], ['order_date', 'string'], ['customer_id', 'string'], ['product_name', 'string'],
      ['quantity', 'bigint'], ['unit_price', 'double'], ['discount', 'double'],
    ]);
    expect(table!.StorageDescriptor).toMatchObject({
      Location: `s3://${bucket}/raw/`,
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ',', quoteChar: '"' } },
    });
    expect(table!.PartitionKeys).toEqual([]);
    expect(table!.Parameters).toMatchObject({ classification: 'csv', 'skip.header.line.count': '1', areColumnsQuoted: 'true' });
    expect(logLines).toEqual(expect.arrayContaining(['crawler sales-raw: READY → RUNNING', 'crawler sales-raw: RUNNING → STOPPING', 'crawler sales-raw: STOPPING → READY']));
  });

  it('catalogs Spark Parquet under run_id=/order_month= folders, leaving out excluded keys, then adds a new partition on the next crawl', async () => {
    await putParquet('cleaned/sales/run_id=r1/order_month=2024-03/part-00000-a.snappy.parquet');
    await putParquet('cleaned/sales/run_id=r1/order_month=2024-04/part-00000-b.snappy.parquet');
    await putParquet('cleaned/sales/run_id=scratch/order_month=2024-01/part-00000-x.snappy.parquet');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cleaned/sales/run_id=r1/_SUCCESS', Body: '' }));
    await defineCrawler({ name: 'sales-cleaned', path: `s3://${bucket}/cleaned/sales/`, tablePrefix: 'cleaned_', exclusions: ['run_id=scratch/**'] });
    expect((await crawl('sales-cleaned')).LastCrawl!.Status).toBe('SUCCEEDED');

    const { Table: table } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: 'cleaned_sales' }));
    const types = Object.fromEntries(table!.StorageDescriptor!.Columns!.map(({ Name, Type }) => [Name, Type]));
    expect(types).toMatchObject({ order_id: 'string', order_date: 'date', quantity: 'int', unit_price: 'decimal(12,4)', total_amount: 'decimal(14,2)', source_modified_at: 'timestamp', source_line: 'bigint' });
    expect(table!.PartitionKeys).toEqual([{ Name: 'run_id', Type: 'string' }, { Name: 'order_month', Type: 'string' }]);
    expect(table!.StorageDescriptor).toMatchObject({
      Location: `s3://${bucket}/cleaned/sales/`,
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    });
    expect(table!.Parameters).toMatchObject({ classification: 'parquet', UPDATED_BY_CRAWLER: 'sales-cleaned' });

    const partitions = async () => (await glue.send(new GetPartitionsCommand({ DatabaseName: database, TableName: 'cleaned_sales' }))).Partitions!
      .map((partition) => [partition.Values, partition.StorageDescriptor!.Location]).sort();
    expect(await partitions()).toEqual([
      [['r1', '2024-03'], `s3://${bucket}/cleaned/sales/run_id=r1/order_month=2024-03/`],
      [['r1', '2024-04'], `s3://${bucket}/cleaned/sales/run_id=r1/order_month=2024-04/`],
    ]);

    await putParquet('cleaned/sales/run_id=r2/order_month=2024-03/part-00000-c.snappy.parquet');
    expect((await crawl('sales-cleaned')).LastCrawl!.Status).toBe('SUCCEEDED');
    expect((await partitions()).map(([values]) => values)).toEqual([['r1', '2024-03'], ['r1', '2024-04'], ['r2', '2024-03']]);
    const { Table: again } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: 'cleaned_sales' }));
    expect(again!.VersionId).toBe(table!.VersionId);

    const { CrawlerMetricsList } = await glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: ['sales-cleaned'] }));
    expect(CrawlerMetricsList).toEqual([expect.objectContaining({ CrawlerName: 'sales-cleaned', TablesCreated: 0, TablesUpdated: 0, StillEstimating: false })]);
    expect(CrawlerMetricsList![0]!.LastRuntimeSeconds).toBeGreaterThan(0);
  });

  it('updates the table when the schema changes', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'evolving/sales_data.csv', Body: rawCsv }));
    await defineCrawler({ name: 'evolving', path: `s3://${bucket}/evolving/`, tablePrefix: '' });
    expect((await crawl('evolving')).LastCrawl!.Status).toBe('SUCCEEDED');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'evolving/more_sales.csv', Body: 'order_id,quantity,channel\nO-9,2.5,web\n' }));
    expect((await crawl('evolving')).LastCrawl!.Status).toBe('SUCCEEDED');
    const { Table: table } = await glue.send(new GetTableCommand({ DatabaseName: database, Name: 'evolving' }));
    expect(table!.StorageDescriptor!.Columns!.map(({ Name, Type }) => `${Name}:${Type}`)).toEqual([
      'order_id:string', 'order_date:string', 'customer_id:string', 'product_name:string',
      'quantity:double', 'unit_price:double', 'discount:double', 'channel:string',
    ]);
    const { CrawlerMetricsList } = await glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: ['evolving'] }));
    expect(CrawlerMetricsList![0]).toMatchObject({ TablesCreated: 0, TablesUpdated: 1 });
  });

  it('reports a FAILED crawl with its error message when the database does not exist', async () => {
    await defineOrphanCrawler('orphan');
    const crawler = await crawl('orphan');
    expect(crawler.LastCrawl).toMatchObject({ Status: 'FAILED' });
    expect(crawler.LastCrawl!.ErrorMessage).toBe('database missing_db does not exist in the Data Catalog: create it (aws_glue_catalog_database) before crawling');
  });

  it('shows crawl state in GetCrawlers and leaves crawlers never started as moto has them', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'listed/sales_data.csv', Body: rawCsv }));
    await defineCrawler({ name: 'listed-ok', path: `s3://${bucket}/listed/`, tablePrefix: 'listed_' });
    await crawl('listed-ok');
    await defineOrphanCrawler('listed-failed');
    await crawl('listed-failed');
    await glue.send(new CreateCrawlerCommand({
      Name: 'listed-idle', Role: 'arn:aws:iam::123456789012:role/crawler', DatabaseName: database, Targets: { S3Targets: [{ Path: `s3://${bucket}/listed/` }] },
    }));
    const { Crawlers } = await glue.send(new GetCrawlersCommand({}));
    const byName = Object.fromEntries(Crawlers!.map((crawler) => [crawler.Name, crawler]));
    expect(byName['listed-ok']!.LastCrawl!.Status).toBe('SUCCEEDED');
    expect(byName['listed-failed']!.LastCrawl!.Status).toBe('FAILED');
    expect(byName['listed-idle']).toMatchObject({ State: 'READY' });
    expect(byName['listed-idle']!.LastCrawl).toBeUndefined();
  });

  it('forgets the crawl history of a crawler deleted and created again', async () => {
    await defineOrphanCrawler('recreated');
    expect((await crawl('recreated')).LastCrawl!.Status).toBe('FAILED');
    await glue.send(new DeleteCrawlerCommand({ Name: 'recreated' }));
    await expect(glue.send(new GetCrawlerCommand({ Name: 'recreated' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await glue.send(new CreateCrawlerCommand({
      Name: 'recreated', Role: 'arn:aws:iam::123456789012:role/crawler', DatabaseName: database, Targets: { S3Targets: [{ Path: `s3://${bucket}/raw/` }] },
    }));
    const { Crawler: recreated } = await glue.send(new GetCrawlerCommand({ Name: 'recreated' }));
    expect(recreated).toMatchObject({ State: 'READY' });
    expect(recreated!.LastCrawl).toBeUndefined();
    const { CrawlerMetricsList } = await glue.send(new GetCrawlerMetricsCommand({ CrawlerNameList: ['recreated'] }));
    expect(CrawlerMetricsList).toEqual([expect.objectContaining({ CrawlerName: 'recreated', LastRuntimeSeconds: 0, MedianRuntimeSeconds: 0 })]);
  });

  it('answers EntityNotFoundException for a crawler that does not exist', async () => {
    await expect(glue.send(new StartCrawlerCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
    await expect(glue.send(new GetCrawlerCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('answers CrawlerRunningException to a start while the crawler runs', async () => {
    await putParquet('contended/day=1/part-0.parquet');
    await defineCrawler({ name: 'contended', path: `s3://${bucket}/contended/`, tablePrefix: '' });
    const results = await Promise.allSettled([
      glue.send(new StartCrawlerCommand({ Name: 'contended' })),
      glue.send(new StartCrawlerCommand({ Name: 'contended' })),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(CrawlerRunningException);
    expect(rejected.reason.message).toBe('Crawler with name contended has already started');
    await waitFor('the crawl to end', async () => {
      const { Crawler: crawler } = await glue.send(new GetCrawlerCommand({ Name: 'contended' }));
      return crawler!.State === 'READY' ? crawler : undefined;
    });
  });

  it('stops a running crawl on request: READY afterwards, LastCrawl CANCELLED', async () => {
    for (let index = 0; index < 40; index++) await putParquet(`many/day=${index}/part-0.parquet`);
    await defineCrawler({ name: 'many', path: `s3://${bucket}/many/`, tablePrefix: '' });
    await expect(glue.send(new StopCrawlerCommand({ Name: 'many' }))).rejects.toBeInstanceOf(CrawlerNotRunningException);
    await glue.send(new StartCrawlerCommand({ Name: 'many' }));
    await glue.send(new StopCrawlerCommand({ Name: 'many' }));
    const { Crawler: stopping } = await glue.send(new GetCrawlerCommand({ Name: 'many' }));
    expect(['STOPPING', 'READY']).toContain(stopping!.State);
    const crawler = await waitFor('the stopped crawl to end', async () => {
      const { Crawler: polled } = await glue.send(new GetCrawlerCommand({ Name: 'many' }));
      return polled!.State === 'READY' ? polled : undefined;
    });
    expect(crawler.LastCrawl!.Status).toBe('CANCELLED');
    await expect(glue.send(new GetTableCommand({ DatabaseName: database, Name: 'many' }))).rejects.toBeInstanceOf(EntityNotFoundException);
  });

  it('keeps partitions without data under DeleteBehavior LOG and deletes them under DELETE_FROM_DATABASE', async () => {
    for (const day of ['1', '2']) {
      await putParquet(`kept/day=${day}/part-0.parquet`);
      await putParquet(`pruned/day=${day}/part-0.parquet`);
    }
    await defineCrawler({ name: 'kept', path: `s3://${bucket}/kept/`, tablePrefix: '' });
    await defineCrawler({ name: 'pruned', path: `s3://${bucket}/pruned/`, tablePrefix: '', deleteBehavior: 'DELETE_FROM_DATABASE' });
    await crawl('kept');
    await crawl('pruned');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'kept/day=2/part-0.parquet' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'pruned/day=2/part-0.parquet' }));
    await crawl('kept');
    await crawl('pruned');
    expect(await partitionValues('kept')).toEqual([['1'], ['2']]);
    expect(await partitionValues('pruned')).toEqual([['1']]);
  });

  it('sends Glue Crawler State Change events to EventBridge rules', async () => {
    const sqs = new SQSClient(harness.aws);
    const events = new EventBridgeClient(harness.aws);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'crawler-events' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await events.send(new PutRuleCommand({
      Name: 'crawler-state', EventPattern: JSON.stringify({ source: ['aws.glue'], 'detail-type': ['Glue Crawler State Change'], detail: { crawlerName: ['evented'] } }),
    }));
    await events.send(new PutTargetsCommand({ Rule: 'crawler-state', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn }] }));
    await putParquet('evented/part-0.parquet');
    await defineCrawler({ name: 'evented', path: `s3://${bucket}/evented/`, tablePrefix: '' });
    await crawl('evented');
    // One receive may return the first event alone (the second is still on its way, or SQS returns a subset): collect until both.
    const details: unknown[] = [];
    await waitFor('the crawl\'s two state-change events', async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      details.push(...Messages.map((message) => JSON.parse(message.Body!).detail));
      return details.length >= 2 ? details : undefined;
    });
    expect(details).toEqual([
      expect.objectContaining({ crawlerName: 'evented', state: 'Started', accountId: '123456789012' }),
      expect.objectContaining({ crawlerName: 'evented', state: 'Succeeded', tablesCreated: '1', partitionsCreated: '0' }),
    ]);
  });
});
