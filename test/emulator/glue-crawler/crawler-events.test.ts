import { describe, expect, it } from 'vitest';
import { crawlEndedDetail, crawlStartedDetail } from '../../../emulator/glue-crawler/crawler-events.js';

const counts = { TablesCreated: 1, TablesUpdated: 0, TablesDeleted: 0, PartitionsCreated: 24, PartitionsDeleted: 2 };
const completedAt = new Date('2024-03-05T14:22:03.456Z');

describe('crawler state change events', () => {
  it('say when a crawl started, in whole UTC seconds', () => {
    expect(crawlStartedDetail('raw', new Date('2024-03-05T14:22:00.123Z'))).toEqual({ crawlerName: 'raw', state: 'Started', message: 'Crawler Started', startTime: '2024-03-05T14:22:00Z' });
  });

  it('carry the counts of a successful crawl as strings, as Glue sends them', () => {
    expect(crawlEndedDetail({ crawlerName: 'raw', status: 'SUCCEEDED', runtimeSeconds: 3.6, completedAt, counts })).toMatchObject({
      state: 'Succeeded', completionDate: '2024-03-05T14:22:03Z', 'runningTime (sec)': '4', tablesCreated: '1', partitionsCreated: '24', partitionsDeleted: '2',
    });
  });

  it('carry the error of a failed crawl, and nothing for a stopped one', () => {
    expect(crawlEndedDetail({ crawlerName: 'raw', status: 'FAILED', errorMessage: 'boom', runtimeSeconds: 1, completedAt, counts }))
      .toEqual({ crawlerName: 'raw', state: 'Failed', message: 'Crawler Failed', errorMessage: 'boom' });
    expect(crawlEndedDetail({ crawlerName: 'raw', status: 'CANCELLED', runtimeSeconds: 1, completedAt, counts })).toBeUndefined();
  });
});
