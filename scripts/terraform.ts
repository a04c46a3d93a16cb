// `npm run tf -- <terraform args> [--stage local|dev|prod] [--endpoint URL]`: Terraform in terraform/,
// with the machine's provider mirror, the stage's tfvars and workspace, and (stage local) the
// emulator's endpoints written into the git-ignored provider override.
import {
  LocalOverrideError, parseTerraformCliArgs, runTerraform, StateBackendError, TerraformCommandError, TerraformNotFoundError, UsageError, writeLocalProviderOverride,
} from '../stage/terraform.js';

async function main(): Promise<number> {
  const { args, stage, endpoint } = parseTerraformCliArgs(process.argv.slice(2));
  if (endpoint) writeLocalProviderOverride({ endpoint });
  return (await runTerraform({ args, stage })).status;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError || error instanceof TerraformNotFoundError || error instanceof LocalOverrideError || error instanceof TerraformCommandError || error instanceof StateBackendError) {
    console.error(error.message);
    process.exitCode = 2;
  } else throw error;
}
