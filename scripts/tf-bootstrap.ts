// `npm run tf:bootstrap -- --stage dev|prod [--apply]`: the S3 bucket that keeps the stage's Terraform state
// (terraform/bootstrap), planned by default; --apply creates it and writes terraform/backends/<stage>.s3.tfbackend.
// Every refusal and failure ends with one line on stderr.
import { AwsCredentialsError } from '../deploy/aws-credentials.js';
import { parseDeployArguments } from '../deploy/deploy-arguments.js';
import { bootstrapStateBucket } from '../deploy/state-bucket.js';
import { TerraformCommandError, TerraformNotFoundError, UsageError } from '../stage/terraform.js';

const log = (line: string) => console.log(`tf:bootstrap: ${line}`);

try {
  const { stage, apply } = parseDeployArguments(process.argv.slice(2));
  // Tests point the bootstrap at the emulator's moto server instead of AWS, as they do the deploy.
  await bootstrapStateBucket({ stage, apply, endpoint: process.env.DEPLOY_ENDPOINT_URL || undefined, log });
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`tf:bootstrap: ${error.message.replace('npm run deploy', 'npm run tf:bootstrap')}`);
    process.exitCode = 2;
  } else if (error instanceof AwsCredentialsError || error instanceof TerraformNotFoundError || error instanceof TerraformCommandError) {
    console.error(`tf:bootstrap: ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
