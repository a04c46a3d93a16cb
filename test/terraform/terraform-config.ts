// The module's configuration as text: its top-level blocks and the references between them.
// `terraform fmt -check` (in this tier) keeps the layout this relies on: a block opens with
// `resource "type" "name" {` at the start of a line and closes with `}` alone at the start of a line.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ConfigBlock {
  kind: 'resource' | 'data';
  type: string;
  name: string;
  /** The address Terraform gives it, e.g. `aws_iam_role.trigger` or `data.aws_iam_policy_document.trigger`. */
  address: string;
  file: string;
  /** Line number of the opening line, 1-based. */
  line: number;
  /** Lines of the body, without the opening and closing lines. */
  body: string[];
}

export function readConfigBlocks(dir: string): ConfigBlock[] {
  const blocks: ConfigBlock[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf')).sort()) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    for (let index = 0; index < lines.length; index++) {
      const opening = /^(resource|data) "(\w+)" "(\w+)" \{$/.exec(lines[index]!);
      if (!opening) continue;
      const end = lines.indexOf('}', index + 1);
      if (end < 0) throw new Error(`${file}:${index + 1}: block ${opening[2]}.${opening[3]} has no closing brace at the start of a line`);
      const [, kind, type, name] = opening as unknown as [string, 'resource' | 'data', string, string];
      blocks.push({ kind, type, name, address: `${kind === 'data' ? 'data.' : ''}${type}.${name}`, file, line: index + 1, body: lines.slice(index + 1, end) });
      index = end;
    }
  }
  return blocks;
}

/**
 * The name of the `type` block that `attribute` refers to, anywhere in the block (nested blocks
 * included), e.g. `role = aws_iam_role.trigger.arn` gives `trigger`; undefined when there is none.
 */
export function referencedName(block: ConfigBlock, reference: { attribute: string; type: string }): string | undefined {
  const { attribute, type } = reference;
  const pattern = new RegExp(`^\\s*${attribute}\\s*=\\s*${type.replaceAll('.', '\\.')}\\.(\\w+)\\b`);
  const names = [...new Set(block.body.map((line) => pattern.exec(line)?.[1]).filter((name): name is string => name !== undefined))];
  if (names.length > 1) throw new Error(`${block.file}:${block.line}: ${block.address} sets ${attribute} to several ${type} (${names.join(', ')})`);
  return names[0];
}

/** Statements whose `resources` list holds "*", each with the comments that explain it (inside the statement, or on the line). */
export interface StarResource {
  file: string;
  line: number;
  document: string;
  comments: string[];
}

export function starResources(blocks: ConfigBlock[]): StarResource[] {
  const found: StarResource[] = [];
  for (const block of blocks.filter((candidate) => candidate.address.startsWith('data.aws_iam_policy_document.'))) {
    let statementStart = 0;
    block.body.forEach((line, index) => {
      if (/^\s*statement\s*\{/.test(line)) statementStart = index;
      if (!/^\s*resources\s*=\s*\[[^\]]*"\*"/.test(line)) return;
      const comments = block.body
        .slice(statementStart, index + 1)
        .map((text) => /#(.*)$/.exec(text)?.[1]?.trim())
        .filter((text): text is string => text !== undefined && !text.startsWith('checkov:'));
      found.push({ file: block.file, line: block.line + 1 + index, document: block.address, comments });
    });
  }
  return found;
}
