export type DataApiErrorType =
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ActiveStatementsExceededException'
  | 'BatchExecuteStatementException'
  | 'ExecuteStatementException'
  | 'UnknownOperationException'
  | 'InternalServerException';

/** An error the Data API answers with, shaped as AWS's JSON 1.1 protocol carries it (`__type`, `message`). */
export class DataApiError extends Error {
  override readonly name = 'DataApiError';

  constructor(readonly type: DataApiErrorType, message: string) {
    super(message);
  }

  get httpStatus(): number {
    return this.type === 'InternalServerException' ? 500 : 400;
  }
}
