import { AwsApiError } from '../gateway/aws-api-error.js';

export type DataApiErrorType =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ActiveStatementsExceededException'
  | 'BatchExecuteStatementException'
  | 'ExecuteStatementException'
  | 'InternalServerException';

/** An error of the Redshift Data API's model; its HTTP status and members follow the model. */
export class DataApiError extends AwsApiError {
  override readonly name = 'DataApiError';

  constructor(readonly type: DataApiErrorType, message: string, fields?: Record<string, unknown>) {
    super(type, message, { fields });
  }
}
