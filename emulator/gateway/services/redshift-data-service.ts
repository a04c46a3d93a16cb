import type { RedshiftDataApi } from '../../redshift/redshift-data-api.js';
import type { OwnService } from '../service-registry.js';

/** Every operation of the Redshift Data API the pipeline and its users call, served on the Postgres engine. */
export function redshiftDataService(api: RedshiftDataApi): OwnService {
  return {
    model: 'redshift-data',
    others: 'not-implemented',
    operations: {
      ExecuteStatement: { serve: (input) => api.executeStatement(input) },
      BatchExecuteStatement: { serve: (input) => api.batchExecuteStatement(input) },
      DescribeStatement: { serve: (input) => api.describeStatement(input) },
      GetStatementResult: { serve: (input) => api.getStatementResult(input) },
      ListStatements: { serve: (input) => api.listStatements(input) },
      CancelStatement: { serve: (input) => api.cancelStatement(input) },
    },
  };
}
