import { describe, expect, it } from 'vitest';
import { exclusionTest, isDataKey, partitionLayout, sampleFiles, tableNameFor, targetFolder } from '../../../emulator/glue-crawler/table-layout.js';

describe('table layout', () => {
  it('names the table after the target folder with the prefix, lower-cased, other characters as underscores', () => {
    expect(tableNameFor({ targetPath: 's3://data/cleaned/sales/', tablePrefix: 'cleaned_' })).toBe('cleaned_sales');
    expect(tableNameFor({ targetPath: 's3://data/raw', tablePrefix: 'raw_' })).toBe('raw_raw');
    expect(tableNameFor({ targetPath: 's3://data/Sales-2024.v2/' })).toBe('sales_2024_v2');
    expect(tableNameFor({ targetPath: 's3://my-bucket' })).toBe('my_bucket');
  });

  it('reads a target path as a bucket and a folder prefix', () => {
    expect(targetFolder('s3://data/raw')).toEqual({ bucket: 'data', prefix: 'raw/' });
    expect(targetFolder('s3://data/')).toEqual({ bucket: 'data', prefix: '' });
    expect(() => targetFolder('/local/path')).toThrow(/is not an S3 path/);
  });

  it('leaves out Hadoop bookkeeping files and folder markers', () => {
    expect(['part-0.parquet', 'run_id=1/part-0.parquet', '_SUCCESS', 'a/.part-0.crc', '_temporary/0/part', 'folder/'].map(isDataKey))
      .toEqual([true, true, false, false, false, false]);
  });

  it('turns key=value folders into partition columns and their values', () => {
    const layout = partitionLayout([
      'run_id=r1/order_month=2024-03/part-0.parquet',
      'run_id=r1/order_month=2024-03/part-1.parquet',
      'run_id=r2/order_month=2024-04/part-0.parquet',
    ]);
    expect(layout.keys).toEqual(['run_id', 'order_month']);
    expect(layout.files.map((file) => [file.folder, file.values])).toEqual([
      ['run_id=r1/order_month=2024-03/', ['r1', '2024-03']],
      ['run_id=r1/order_month=2024-03/', ['r1', '2024-03']],
      ['run_id=r2/order_month=2024-04/', ['r2', '2024-04']],
    ]);
    expect(layout.skipped).toEqual([]);
  });

  it('names plain folders partition_<level> with the folder as the value', () => {
    const layout = partitionLayout(['2024/03/a.csv', '2024/04/b.csv', 'year=2025/01/c.csv']);
    expect(layout.keys).toEqual(['partition_0', 'partition_1']);
    expect(layout.files.map((file) => file.values)).toEqual([['2024', '03'], ['2024', '04'], ['year=2025', '01']]);
  });

  it('has no partitions for files at the top of the target', () => {
    expect(partitionLayout(['a.csv', 'b.csv'])).toEqual({
      keys: [], skipped: [],
      files: [{ relativeKey: 'a.csv', folder: '', values: [] }, { relativeKey: 'b.csv', folder: '', values: [] }],
    });
  });

  it('keeps the depth most files share and reports the others as skipped', () => {
    const layout = partitionLayout(['day=1/a.csv', 'day=2/b.csv', 'stray.csv']);
    expect(layout.keys).toEqual(['day']);
    expect(layout.skipped).toEqual(['stray.csv']);
  });
});

describe('sampled files', () => {
  it('are at most SampleSize files of each folder, or every file when it is unset', () => {
    const layout = partitionLayout(['day=1/a', 'day=1/b', 'day=1/c', 'day=2/d']);
    expect(sampleFiles(layout.files, 2).map((file) => file.relativeKey)).toEqual(['day=1/a', 'day=1/b', 'day=2/d']);
    expect(sampleFiles(layout.files, undefined)).toHaveLength(4);
  });
});

describe('exclude patterns', () => {
  it('follow Glue glob rules: * within a folder, ** across folders, ?, classes and alternatives', () => {
    const excluded = exclusionTest(['*.json', '**/_tmp*', 'day=?/skip.csv', 'logs/[!a]*.{txt,log}']);
    expect(['a.json', 'run_id=1/a.json', 'run_id=1/x/_tmp1', 'day=1/skip.csv', 'day=10/skip.csv', 'logs/b.log', 'logs/a.log', 'logs/b.csv'].map(excluded))
      .toEqual([true, false, true, true, false, true, false, false]);
    expect(exclusionTest([])('anything')).toBe(false);
  });
});
