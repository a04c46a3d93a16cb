import type { CrawlerRunner } from '../../glue-crawler/crawler-runner.js';
import { GlueApiError } from '../../glue-runner/glue-errors.js';
import type { GlueRunner } from '../../glue-runner/glue-runner.js';
import { AwsApiError } from '../aws-api-error.js';
import type { OperationInput, OwnService, ServedOperation } from '../service-registry.js';

/** Serves one Glue operation, turning the runners' GlueApiError into the gateway's error. */
function served(call: (input: never) => unknown): ServedOperation {
  return {
    serve: async (input: OperationInput) => {
      try {
        return await call(input as never);
      } catch (error) {
        if (error instanceof GlueApiError) throw new AwsApiError(error.code, error.message, { status: error.status, cause: error });
        throw error;
      }
    },
  };
}

/**
 * Glue job runs (the PySpark runner) and crawler runs (the crawler runner); job and crawler
 * definitions, the Data Catalog and every other Glue operation stay with moto.
 */
export function glueService(glue: GlueRunner, crawlers: CrawlerRunner): OwnService {
  return {
    model: 'glue',
    operations: {
      StartJobRun: served((input) => glue.startJobRun(input)),
      GetJobRun: served((input) => glue.getJobRun(input)),
      GetJobRuns: served((input) => glue.getJobRuns(input)),
      BatchStopJobRun: served((input) => glue.batchStopJobRun(input)),
      StartCrawler: served((input) => crawlers.startCrawler(input)),
      StopCrawler: served((input) => crawlers.stopCrawler(input)),
      GetCrawler: served((input) => crawlers.getCrawler(input)),
      GetCrawlers: served((input) => crawlers.getCrawlers(input)),
      BatchGetCrawlers: served((input) => crawlers.batchGetCrawlers(input)),
      GetCrawlerMetrics: served((input) => crawlers.getCrawlerMetrics(input)),
    },
  };
}
