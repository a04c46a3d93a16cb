import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../stage/python-env.js';

const require = createRequire(import.meta.url);

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile_inline?: string };
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  entrypoint?: string[];
  command?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * The Compose Specification's JSON schema as dclint ships it (a copy of the specification's own
 * compose-spec.json). It declares its meta-schema by the https address of draft-07, which Ajv knows
 * under http only: the same meta-schema is registered under that name too, so the schema itself is
 * checked as well.
 */
function composeSchemaValidator(): ValidateFunction {
  const schemaFile = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $schema: string };
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false });
  ajv.addMetaSchema({ ...(require('ajv/dist/refs/json-schema-draft-07.json') as object), $id: schema.$schema });
  return ajv.compile(schema);
}

const composeText = readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText) as ComposeFile;
const validate = composeSchemaValidator();

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('is checked for real: the schema rejects a malformed service', () => {
    const broken = structuredClone(compose);
    (broken.services.postgres as Record<string, unknown>).ports = 5439;
    (broken.services.moto as Record<string, unknown>).restart_policy = 'always';
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(expect.arrayContaining(['/services/postgres/ports', '/services/moto']));
  });

  it('runs moto, Postgres and the Glue job', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['glue', 'moto', 'postgres']);
  });

  it('publishes Postgres on port 5439 with its data in a named volume, and every port on 127.0.0.1 only', () => {
    const postgres = compose.services.postgres!;
    expect(postgres.image).toMatch(/^postgres:(15|17)$/);
    expect(postgres.ports).toEqual(['127.0.0.1:5439:5432']);
    const volume = postgres.volumes?.[0]?.split(':')[0];
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    const published = Object.values(compose.services).flatMap((service) => service.ports ?? []);
    expect(published.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('installs moto from emulator/requirements.txt, so its version is the pinned one, and runs the emulator launcher', () => {
    const pinned = readFileSync(join(projectRoot, 'emulator', 'requirements.txt'), 'utf8').match(/^moto\[server\]==(\d+\.\d+\.\d+)$/m);
    expect(pinned, 'emulator/requirements.txt pins one exact moto[server] version').not.toBeNull();
    const build = compose.services.moto!.build!;
    const dockerfile = build.dockerfile_inline ?? '';
    expect(dockerfile).toMatch(/^COPY requirements\.txt (\S+)$/m);
    const copiedTo = /^COPY requirements\.txt (\S+)$/m.exec(dockerfile)![1];
    expect(dockerfile).toContain(`RUN pip install --no-cache-dir -r ${copiedTo}`);
    expect(dockerfile).toMatch(/^FROM python:3\.11-slim/m);
    expect(readFileSync(join(projectRoot, build.context, 'requirements.txt'), 'utf8')).toContain(`moto[server]==${pinned![1]}`);
    const launcher = /^COPY (\S+) \/opt\/emulator\/moto_server\.py$/m.exec(dockerfile)?.[1];
    expect(launcher && existsSync(join(projectRoot, build.context, launcher))).toBe(true);
    // The launcher imports its patches from the folder beside it.
    const patches = /^COPY (\S+) \/opt\/emulator\/moto_patches$/m.exec(dockerfile)?.[1];
    expect(patches && existsSync(join(projectRoot, build.context, patches, '__init__.py'))).toBe(true);
  });

  it('runs the job on the AWS Glue 5.0 image by spark-submit, with glue/ mounted', () => {
    const glue = compose.services.glue!;
    expect(glue.image).toBe('public.ecr.aws/glue/aws-glue-libs:5');
    expect(glue.entrypoint?.[0]).toBe('spark-submit');
    expect(glue.volumes).toContain('./glue:/home/hadoop/workspace/glue:ro');
    const script = glue.command?.[0];
    expect(script).toBe('glue/clean_sales.py');
    expect(existsSync(join(projectRoot, script!))).toBe(true);
    expect(glue.command).toEqual(expect.arrayContaining(['--input_uri', '--output_uri', '--run_id']));
    expect(glue.profiles).toEqual(['job']);
  });

  it('has a healthcheck on every service another one waits for, and waits for it to be healthy', () => {
    for (const service of ['moto', 'postgres']) expect(compose.services[service]!.healthcheck?.test.length, service).toBeGreaterThan(0);
    expect(compose.services.glue!.depends_on).toEqual({ moto: { condition: 'service_healthy' } });
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency]?.healthcheck, `${name} waits for ${dependency}`).toBeDefined();
        expect(condition).toBe('service_healthy');
      }
    }
  });
});
