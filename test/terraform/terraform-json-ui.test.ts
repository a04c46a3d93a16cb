import { describe, expect, it } from 'vitest';
import { readTerraformJsonUi } from '../../stage/terraform-json-ui.js';

// Messages as `terraform apply -json` 1.11 prints them, one a line (shortened to the fields read here and a few others).
const version = '{"@level":"info","@message":"Terraform 1.11.4","@module":"terraform.ui","@timestamp":"2026-12-06T20:45:51.855807Z","terraform":"1.11.4","type":"version","ui":"1.2"}';
const keyCreated = '{"@level":"info","@message":"aws_kms_key.data: Creation complete after 13s [id=5cec5245]","@module":"terraform.ui","@timestamp":"2026-12-06T20:46:12.000000Z","hook":{"resource":{"addr":"aws_kms_key.data","resource_type":"aws_kms_key","resource_name":"data"},"action":"create","id_key":"id","id_value":"5cec5245","elapsed_seconds":13},"type":"apply_complete"}';
const summary = '{"@level":"info","@message":"Apply complete! Resources: 81 added, 0 changed, 0 destroyed.","@module":"terraform.ui","@timestamp":"2026-12-06T20:47:10.000000Z","changes":{"add":81,"change":0,"import":0,"remove":0,"operation":"apply"},"type":"change_summary"}';
const appliedOutputs = '{"@level":"info","@message":"Outputs: 2","@module":"terraform.ui","@timestamp":"2026-12-06T20:47:10.000100Z","outputs":{"glue_crawler_names":{"sensitive":false,"type":["object",{"cleaned":"string","raw":"string"}],"value":{"cleaned":"sdp-local-cleaned","raw":"sdp-local-raw"}},"region":{"sensitive":false,"type":"string","value":"us-east-1"}},"type":"outputs"}';
const callerIdentityError = '{"@level":"error","@message":"Error: reading STS Caller Identity","@module":"terraform.ui","@timestamp":"2026-12-06T20:45:59.061970Z","diagnostic":{"severity":"error","summary":"reading STS Caller Identity","detail":"operation error STS: GetCallerIdentity, exceeded maximum number of attempts, 2, request send failed: connect: connection refused","address":"data.aws_caller_identity.current","range":{"filename":"providers.tf","start":{"line":15,"column":38,"byte":380},"end":{"line":15,"column":39,"byte":381}}},"type":"diagnostic"}';

const lines = (...messages: string[]) => `${messages.join('\n')}\n`;

describe('reading terraform apply -json', () => {
  it('writes each message as the readable line Terraform prints without -json', () => {
    expect(readTerraformJsonUi(lines(version, keyCreated, summary)).text).toBe(
      'Terraform 1.11.4\naws_kms_key.data: Creation complete after 13s [id=5cec5245]\nApply complete! Resources: 81 added, 0 changed, 0 destroyed.\n',
    );
  });

  it('returns the outputs an apply ends with as terraform output -json gives them, a map as its JSON', () => {
    expect(readTerraformJsonUi(lines(version, keyCreated, summary, appliedOutputs)).outputs).toEqual({
      glue_crawler_names: '{"cleaned":"sdp-local-cleaned","raw":"sdp-local-raw"}',
      region: 'us-east-1',
    });
  });

  it('returns no outputs when the UI withholds a value, so the caller asks terraform output for them all', () => {
    const withSecret = appliedOutputs.replace('"region":{"sensitive":false,"type":"string","value":"us-east-1"}', '"admin_password":{"sensitive":true,"type":"string"}');
    expect(readTerraformJsonUi(lines(version, withSecret)).outputs).toBeUndefined();
    // A plan's outputs message names the outputs without any value.
    expect(readTerraformJsonUi(lines('{"@level":"info","@message":"Outputs: 1","outputs":{"region":{"sensitive":false,"action":"create"}},"type":"outputs"}')).outputs).toBeUndefined();
  });

  it('gives an error with the resource, the file line and the detail, in the log and among the errors', () => {
    const ui = readTerraformJsonUi(lines(version, callerIdentityError));
    const expected = 'Error: reading STS Caller Identity\n  with data.aws_caller_identity.current,\n  on providers.tf line 15\n'
      + 'operation error STS: GetCallerIdentity, exceeded maximum number of attempts, 2, request send failed: connect: connection refused';
    expect(ui.errors).toEqual([expected]);
    expect(ui.text).toBe(`Terraform 1.11.4\n${expected}\n`);
    expect(ui.outputs).toBeUndefined();
  });

  it('keeps lines that are no JSON message, such as those of an init run before the apply', () => {
    const ui = readTerraformJsonUi(lines('Initializing the backend...', '{not json', version));
    expect(ui.text).toBe('Initializing the backend...\n{not json\nTerraform 1.11.4\n');
    expect(ui.errors).toEqual([]);
  });
});
