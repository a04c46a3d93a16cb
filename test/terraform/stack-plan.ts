// The stack as Terraform plans it for one stage, offline: `terraform test` with the mock provider
// plans tests/iam_contract.tftest.hcl and, with -json -verbose, prints that plan as JSON.
import { runTerraform, type Stage } from '../../stage/terraform.js';

/** An IAM policy statement as the aws_iam_policy_document data source holds it. */
export interface PolicyStatement {
  sid: string | null;
  effect: string | null;
  actions: string[] | null;
  not_actions: string[] | null;
  resources: string[] | null;
  not_resources: string[] | null;
  condition: { test: string; variable: string; values: string[] }[];
}

export type PlannedValues = Record<string, unknown>;

export interface StackPlan {
  /** The planned values of every resource and deferred data source, by address. */
  values: Map<string, PlannedValues>;
}

interface TestMessage {
  type: string;
  '@testfile'?: string;
  test_plan?: { resource_changes: { address: string; change: { after: PlannedValues | null } }[] };
  diagnostic?: { summary: string; detail?: string };
  test_summary?: { status: string };
}

const contractTestFile = 'tests/iam_contract.tftest.hcl';

export async function planStack(stage: Stage): Promise<StackPlan> {
  const result = await runTerraform({
    args: ['test', '-json', '-verbose', `-filter=${contractTestFile}`, `-var-file=stages/${stage}.tfvars`, '-no-color'],
    stdio: 'pipe',
  });
  const messages = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as TestMessage);
  const plan = messages.find((message) => message.type === 'test_plan' && message['@testfile'] === contractTestFile)?.test_plan;
  if (result.status !== 0 || !plan) {
    const problems = messages.filter((message) => message.diagnostic).map((message) => `${message.diagnostic!.summary}: ${message.diagnostic!.detail ?? ''}`);
    throw new Error(`terraform test -filter=${contractTestFile} on stage ${stage} gave no plan (exit ${result.status}):\n${problems.join('\n') || result.stderr}`);
  }
  return { values: new Map(plan.resource_changes.map((change) => [change.address, change.change.after ?? {}])) };
}

export function plannedValues(plan: StackPlan, address: string): PlannedValues {
  const values = plan.values.get(address);
  if (!values) throw new Error(`the plan has no ${address}`);
  return values;
}

/** A policy document's statements; Terraform defers these data sources to apply, so the plan lists them with their inputs. */
export function policyStatements(plan: StackPlan, document: string): PolicyStatement[] {
  const statements = plannedValues(plan, document).statement as PolicyStatement[] | undefined;
  if (!statements) throw new Error(`${document} has no statements in the plan`);
  return statements;
}
