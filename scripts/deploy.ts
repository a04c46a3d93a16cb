// `npm run deploy -- --stage dev|prod [--apply]`: builds the Lambda and Glue artifacts, plans the stage
// with Terraform into a saved plan, and applies exactly that plan with --apply. Every refusal and
// failure ends with one line on stderr.
import { AwsCredentialsError } from '../deploy/aws-credentials.js';
import { parseDeployArguments } from '../deploy/deploy-arguments.js';
import { DeployError, deployStage } from '../deploy/deploy-stage.js';
import { PlanChangedError } from '../deploy/saved-plan.js';
import { LocalOverrideError, StateBackendError, TerraformCommandError, TerraformNotFoundError, UsageError } from '../stage/terraform.js';

const log = (line: string) => console.log(`deploy: ${line}`);

try {
  const { stage, apply } = parseDeployArguments(process.argv.slice(2));
  // Rehearsals and tests point the whole deploy at the emulator's moto server instead of AWS.
  const endpoint = process.env.DEPLOY_ENDPOINT_URL || undefined;
  const outcome = await deployStage({ stage, apply, endpoint, log });
  if (outcome.applied) log(`stage ${stage} applied in account ${outcome.identity.account}, region ${outcome.region}`);
} catch (error) {
  if (error instanceof UsageError || error instanceof LocalOverrideError) {
    console.error(`deploy: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof AwsCredentialsError || error instanceof DeployError || error instanceof PlanChangedError || error instanceof TerraformNotFoundError || error instanceof TerraformCommandError || error instanceof StateBackendError) {
    console.error(`deploy: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
