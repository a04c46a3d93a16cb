/** The `detail` of the "Glue Crawler State Change" events AWS Glue sends to EventBridge. */

export interface CrawlOutcome {
  crawlerName: string;
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  errorMessage?: string;
  runtimeSeconds: number;
  completedAt: Date;
  counts: { TablesCreated: number; TablesUpdated: number; TablesDeleted: number; PartitionsCreated: number; PartitionsDeleted: number };
}

/** EventBridge's timestamp form: whole seconds, UTC. */
function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function crawlStartedDetail(crawlerName: string, startedAt: Date): Record<string, string> {
  return { crawlerName, state: 'Started', message: 'Crawler Started', startTime: eventTime(startedAt) };
}

/** The detail of a finished crawl; undefined for a stopped one, which sends no event. */
export function crawlEndedDetail(outcome: CrawlOutcome): Record<string, string> | undefined {
  const { crawlerName, counts } = outcome;
  if (outcome.status === 'FAILED') return { crawlerName, state: 'Failed', message: 'Crawler Failed', errorMessage: outcome.errorMessage ?? '' };
  if (outcome.status === 'CANCELLED') return undefined;
  return {
    crawlerName, state: 'Succeeded', message: 'Crawler Succeeded', completionDate: eventTime(outcome.completedAt),
    'runningTime (sec)': String(Math.round(outcome.runtimeSeconds)), warningMessage: 'N/A',
    tablesCreated: String(counts.TablesCreated), tablesUpdated: String(counts.TablesUpdated), tablesDeleted: String(counts.TablesDeleted),
    partitionsCreated: String(counts.PartitionsCreated), partitionsUpdated: '0', partitionsDeleted: String(counts.PartitionsDeleted),
  };
}
