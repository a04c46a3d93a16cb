/**
 * The Terraform outputs of a stage (terraform/outputs.tf) that code reads, as plain strings: a list
 * or map output is its JSON. `npm run dev:up` records them for stage local; dev and prod read them
 * from Terraform.
 */
export type StackOutputName =
  | 'region'
  | 'data_bucket_name'
  | 'source_profiles_uri'
  | 'ingest_queue_url'
  | 'ingest_dlq_url'
  | 'trigger_function_name'
  | 'loader_function_name'
  | 'loader_failure_destination_arn'
  | 'loader_failure_queue_url'
  | 'glue_job_name'
  | 'glue_database_name'
  | 'glue_crawler_names'
  | 'idempotency_table_name'
  | 'event_rule_name'
  | 'redshift_cluster_id'
  | 'redshift_database_name'
  | 'redshift_secret_arn'
  | 'redshift_loader_secret_arn'
  | 'redshift_copy_role_arn';

export type StackOutputs = Readonly<Partial<Record<StackOutputName, string>> & Record<string, string>>;

export class MissingStackOutputError extends Error {
  override readonly name = 'MissingStackOutputError';
}

/** `terraform output -json` as StackOutputs. */
export function stackOutputsFromTerraformJson(json: string): StackOutputs {
  const values = JSON.parse(json) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(values).map(([name, { value }]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** One output of a stage; a missing one fails with the output's name and what brings it back. */
export function stackOutput(outputs: StackOutputs, name: StackOutputName, stage: string): string {
  const value = outputs[name];
  if (value === undefined || value === '') {
    const remedy = stage === 'local' ? 'run `npm run dev:up` again' : `apply the stack of stage ${stage} (\`npm run deploy -- --stage ${stage} --apply\`)`;
    throw new MissingStackOutputError(`stage ${stage} has no Terraform output ${name}: ${remedy}; terraform/outputs.tf declares it`);
  }
  return value;
}
