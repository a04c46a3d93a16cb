import { stackOutputsFromTerraformJson, type StackOutputs } from './stack-outputs.js';

/**
 * What a Terraform command run with `-json` reported: its machine-readable UI, one JSON message a line
 * (https://developer.hashicorp.com/terraform/internals/machine-readable-ui).
 */
export interface TerraformJsonUi {
  /** Every message as readable text, one a line; lines that are no JSON message (an init run first) as they came. */
  text: string;
  /** Each error diagnostic: its summary, the resource and the file line it comes from, and its detail. */
  errors: string[];
  /**
   * The root module's outputs as `terraform output -json` gives them, from the message an apply ends with.
   * Undefined when there was no such message, or when an output is sensitive: the UI withholds those
   * values, so only `terraform output -json` has them all.
   */
  outputs?: StackOutputs;
}

interface Diagnostic {
  severity?: string;
  summary?: string;
  detail?: string;
  address?: string;
  range?: { filename?: string; start?: { line?: number } };
}

interface UiMessage {
  '@message'?: string;
  type?: string;
  diagnostic?: Diagnostic;
  outputs?: Record<string, { sensitive?: boolean; type?: unknown; value?: unknown }>;
}

function parseMessage(line: string): UiMessage | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const message = JSON.parse(line) as unknown;
    return typeof message === 'object' && message !== null && '@message' in message ? (message as UiMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** A diagnostic laid out as Terraform prints it without -json: summary, where, then the detail. */
function diagnosticText(diagnostic: Diagnostic, message: string): string {
  const where = [
    diagnostic.address ? `  with ${diagnostic.address},` : undefined,
    diagnostic.range?.filename ? `  on ${diagnostic.range.filename} line ${diagnostic.range.start?.line ?? '?'}` : undefined,
  ].filter((line) => line !== undefined);
  return [message, ...where, ...(diagnostic.detail ? [diagnostic.detail] : [])].join('\n');
}

export function readTerraformJsonUi(stdout: string): TerraformJsonUi {
  const text: string[] = [];
  const errors: string[] = [];
  let outputs: StackOutputs | undefined;
  for (const line of stdout.split('\n')) {
    const message = parseMessage(line);
    if (!message) {
      if (line !== '') text.push(line);
      continue;
    }
    const readable = message['@message'] ?? '';
    if (message.type === 'diagnostic' && message.diagnostic) {
      const described = diagnosticText(message.diagnostic, readable);
      text.push(described);
      if (message.diagnostic.severity === 'error') errors.push(described);
    } else text.push(readable);
    if (message.type === 'outputs' && message.outputs) {
      const withheld = Object.values(message.outputs).some((output) => output.sensitive === true || !('value' in output));
      outputs = withheld ? undefined : stackOutputsFromTerraformJson(JSON.stringify(message.outputs));
    }
  }
  return { text: text.length > 0 ? `${text.join('\n')}\n` : '', errors, outputs };
}
