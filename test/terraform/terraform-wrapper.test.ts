import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkStageOverride,
  localProviderOverride,
  mirrorCliConfig,
  parseTerraformCliArgs,
  resolveProviderSource,
  stageArgs,
  stateBackend,
  StateBackendError,
  TerraformCommandError,
} from '../../stage/terraform.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sdp-tf-'));
}

function makeMirror(root: string, providers = ['hashicorp/aws']): string {
  for (const provider of providers) mkdirSync(join(root, 'registry.terraform.io', provider, '5.100.0', 'linux_amd64'), { recursive: true });
  return root;
}

describe('provider source of the Terraform wrapper', () => {
  it('uses a CLI configuration that declares provider_installation', () => {
    const home = tempDir();
    const file = join(home, 'custom.tfrc');
    writeFileSync(file, 'provider_installation {\n  direct {}\n}\n');
    expect(resolveProviderSource({ env: { TF_CLI_CONFIG_FILE: file }, home, scanRoots: [] })).toEqual({ kind: 'configured', cliConfigFile: file });
  });

  it('uses ~/.terraformrc when TF_CLI_CONFIG_FILE names a file that does not exist', () => {
    const home = tempDir();
    writeFileSync(join(home, '.terraformrc'), 'provider_installation {\n  direct {}\n}\n');
    expect(resolveProviderSource({ env: { TF_CLI_CONFIG_FILE: join(home, 'missing') }, home, scanRoots: [] })).toEqual({ kind: 'configured', cliConfigFile: join(home, '.terraformrc') });
  });

  it('ignores a CLI configuration without provider_installation', () => {
    const home = tempDir();
    writeFileSync(join(home, '.terraformrc'), 'plugin_cache_dir = "/tmp/cache"\n');
    expect(resolveProviderSource({ env: { XDG_DATA_DIRS: '' }, home, scanRoots: [] })).toEqual({ kind: 'registry' });
  });

  it('uses the mirror named by TF_PROVIDER_MIRROR', () => {
    const mirror = makeMirror(tempDir());
    expect(resolveProviderSource({ env: { TF_PROVIDER_MIRROR: mirror }, home: tempDir(), scanRoots: [] })).toMatchObject({ kind: 'mirror', mirrorDir: mirror, foundBy: 'TF_PROVIDER_MIRROR' });
  });

  it('rejects a TF_PROVIDER_MIRROR without the AWS provider, naming the folder', () => {
    const empty = tempDir();
    expect(() => resolveProviderSource({ env: { TF_PROVIDER_MIRROR: empty }, home: tempDir(), scanRoots: [] })).toThrow(TerraformCommandError);
    expect(() => resolveProviderSource({ env: { TF_PROVIDER_MIRROR: empty }, home: tempDir(), scanRoots: [] })).toThrow(empty);
  });

  it("finds Terraform's implied mirror under ~/.terraform.d/plugins", () => {
    const home = tempDir();
    const mirror = makeMirror(join(home, '.terraform.d', 'plugins'));
    expect(resolveProviderSource({ env: { XDG_DATA_DIRS: '' }, home, scanRoots: [] })).toMatchObject({ kind: 'mirror', mirrorDir: mirror });
  });

  it('finds a mirror one level below a scanned install root', () => {
    const root = tempDir();
    mkdirSync(join(root, 'unrelated'));
    const mirror = makeMirror(join(root, 'tf-plugins'));
    expect(resolveProviderSource({ env: { XDG_DATA_DIRS: '' }, home: tempDir(), scanRoots: [join(root, 'missing'), root] })).toMatchObject({ kind: 'mirror', mirrorDir: mirror });
  });

  it('falls back to the public registry when nothing is configured or found', () => {
    expect(resolveProviderSource({ env: { XDG_DATA_DIRS: '' }, home: tempDir(), scanRoots: [tempDir()] })).toEqual({ kind: 'registry' });
  });
});

describe('generated Terraform files', () => {
  it('installs exactly the mirrored providers from the mirror and everything else directly', () => {
    const mirror = makeMirror(tempDir(), ['hashicorp/aws', 'hashicorp/random']);
    const config = mirrorCliConfig(mirror);
    expect(config).toContain(`path    = "${mirror}"`);
    expect(config).toContain('include = ["registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/random"]');
    expect(config).toContain('exclude = ["registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/random"]');
  });

  it('points every service of the pipeline at the emulator endpoint, with dummy credentials', () => {
    const override = localProviderOverride({ endpoint: 'http://127.0.0.1:4566' });
    for (const service of ['s3', 'sqs', 'lambda', 'glue', 'iam', 'sts', 'redshift', 'redshiftdata', 'dynamodb', 'eventbridge', 'secretsmanager', 'sns', 'kms', 'cloudwatchlogs', 'ec2']) {
      expect(override).toMatch(new RegExp(`^\\s+${service}\\s+= "http://127\\.0\\.0\\.1:4566"$`, 'm'));
    }
    expect(override).toContain('access_key                  = "test"');
    expect(override).toContain('s3_use_path_style           = true');
    expect(override).toContain('skip_requesting_account_id  = true');
    expect(override).toMatch(/^\s+max_retries = 2$/m);
    expect(override).not.toMatch(/resource\s+"/);
  });
});

describe('stages in the Terraform wrapper', () => {
  it('adds the stage tfvars to commands that take variables only', () => {
    expect(stageArgs(['plan', '-out=dev.plan'], 'dev')).toEqual(['plan', '-var-file=stages/dev.tfvars', '-out=dev.plan']);
    expect(stageArgs(['apply', '-auto-approve'], 'local')).toEqual(['apply', '-var-file=stages/local.tfvars', '-auto-approve']);
    expect(stageArgs(['output', '-json'], 'dev')).toEqual(['output', '-json']);
    expect(stageArgs(['plan'], undefined)).toEqual(['plan']);
  });

  it('refuses a cloud stage while the emulator override is present, and stage local without it', () => {
    expect(() => checkStageOverride('prod', true)).toThrow(/local_override\.tf.*stage prod/);
    expect(() => checkStageOverride('local', false)).toThrow(/--endpoint/);
    expect(() => checkStageOverride('dev', false)).not.toThrow();
    expect(() => checkStageOverride('local', true)).not.toThrow();
  });

  it('separates the wrapper flags from the Terraform arguments', () => {
    expect(parseTerraformCliArgs(['apply', '-auto-approve', '--stage', 'local', '--endpoint', 'http://127.0.0.1:4566'])).toEqual({
      args: ['apply', '-auto-approve'],
      stage: 'local',
      endpoint: 'http://127.0.0.1:4566',
    });
    expect(() => parseTerraformCliArgs(['plan', '--stage', 'qa'])).toThrow('--stage must be one of local, dev, prod, got "qa"');
    expect(() => parseTerraformCliArgs(['plan', '--stage', 'dev', '--endpoint', 'http://x'])).toThrow('--endpoint applies to --stage local only');
    expect(() => parseTerraformCliArgs(['--stage', 'dev'])).toThrow(/usage/);
  });
});

describe('where the Terraform wrapper keeps a stage\'s state', () => {
  function backends(...stages: string[]): string {
    const dir = tempDir();
    for (const stage of stages) writeFileSync(join(dir, `${stage}.s3.tfbackend`), 'bucket = "b"\nkey = "k"\nregion = "eu-west-1"\nuse_lockfile = true\n');
    return dir;
  }

  it('initialises no backend for commands without a stage (validate, test)', () => {
    expect(stateBackend({ overridePresent: false, dir: backends() })).toBeUndefined();
  });

  it('keeps stage local, and any run through the emulator override, on the machine', () => {
    expect(stateBackend({ stage: 'local', overridePresent: true, dir: backends() })).toEqual({ kind: 'local' });
    expect(stateBackend({ stage: 'dev', overridePresent: true, dir: backends() })).toEqual({ kind: 'local' });
  });

  it("keeps dev and prod in the stage's S3 bucket as the bootstrap recorded it", () => {
    const dir = backends('dev', 'prod');
    expect(stateBackend({ stage: 'prod', overridePresent: false, dir, legacyStateDir: tempDir() })).toEqual({ kind: 's3', configFile: join(dir, 'prod.s3.tfbackend') });
  });

  it('refuses a cloud stage without its backend file, naming the bootstrap command', () => {
    expect(() => stateBackend({ stage: 'dev', overridePresent: false, dir: backends('prod'), legacyStateDir: tempDir() }))
      .toThrow(new StateBackendError('stage dev keeps its Terraform state in S3, and terraform/backends/dev.s3.tfbackend does not exist yet: create the state bucket with `npm run tf:bootstrap -- --stage dev --apply` (terraform/README.md, "Terraform state")'));
  });

  it('refuses a cloud stage that still has local state from before the S3 backend, naming the migration', () => {
    const legacy = tempDir();
    mkdirSync(join(legacy, 'dev'));
    writeFileSync(join(legacy, 'dev', 'terraform.tfstate'), '{"version": 4}');
    expect(() => stateBackend({ stage: 'dev', overridePresent: false, dir: backends('dev'), legacyStateDir: legacy }))
      .toThrow(/npm run tf -- init -migrate-state -force-copy --stage dev/);
  });

  it('gives the emulator override a local backend, so it replaces the S3 backend of versions.tf', () => {
    expect(localProviderOverride({ endpoint: 'http://127.0.0.1:4566' })).toMatch(/terraform \{\n {2}backend "local" \{\}\n\}/);
  });
});
