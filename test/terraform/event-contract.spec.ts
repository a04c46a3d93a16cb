// The loader records every run in load_audit only if EventBridge sends it every final state it handles:
// the rule's state list (terraform/load.tf) and the loader's FINAL_STATES must be the same.
import { beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATES } from '../../lambda/loader/glue-state-change.js';
import { terraformVersion } from '../../stage/terraform.js';
import { planStack, plannedValues, type StackPlan } from './stack-plan.js';

const version = terraformVersion();
if (!version) {
  const message = 'terraform was not found on PATH: install Terraform 1.10 or newer to run the event contract test';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n!!! SKIPPING the event contract test: ${message}\n`);
}

describe.skipIf(!version)('Glue state changes reach the loader (stage dev)', () => {
  let plan: StackPlan;

  beforeAll(async () => {
    plan = await planStack('dev');
  });

  it("sends the loader exactly the final states it records, and only the job's", () => {
    const pattern = JSON.parse(String(plannedValues(plan, 'aws_cloudwatch_event_rule.glue_job_finished').event_pattern)) as {
      source: string[]; 'detail-type': string[]; detail: { jobName: string[]; state: string[] };
    };
    expect(pattern.source).toEqual(['aws.glue']);
    expect(pattern['detail-type']).toEqual(['Glue Job State Change']);
    expect(pattern.detail.jobName).toEqual([plannedValues(plan, 'aws_glue_job.clean_sales').name]);
    expect([...pattern.detail.state].sort()).toEqual([...FINAL_STATES].sort());
  });
});
