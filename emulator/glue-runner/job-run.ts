export type JobRunState = 'WAITING' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT';

export interface JobRun {
  Id: string;
  Attempt: number;
  JobName: string;
  StartedOn: Date;
  LastModifiedOn: Date;
  CompletedOn?: Date;
  JobRunState: JobRunState;
  JobRunQueuingEnabled: boolean;
  Arguments: Record<string, string>;
  ErrorMessage?: string;
  PredecessorRuns: never[];
  ExecutionTime: number;
  Timeout: number;
  GlueVersion?: string;
  MaxCapacity?: number;
}
