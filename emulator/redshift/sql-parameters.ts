import { tokenize } from './sql-tokens.js';

export interface NamedParameter {
  name: string;
  value: string;
}

export class MissingParameterError extends Error {
  override readonly name = 'MissingParameterError';
}

/**
 * Turns the Data API's `:name` placeholders into Postgres `$n` ones. The tokenizer tells a placeholder
 * from a `::type` cast or a colon inside a string. Values stay strings, as the Data API sends them:
 * Postgres infers each placeholder's type from where it is used, as Redshift does.
 */
export function bindNamedParameters(sql: string, parameters: NamedParameter[] = []): { text: string; values: string[] } {
  const supplied = new Map(parameters.map((parameter) => [parameter.name, parameter.value]));
  const values: string[] = [];
  const text = tokenize(sql).map((token) => {
    if (token.kind !== 'parameter') return token.text;
    const name = token.text.slice(1);
    if (!supplied.has(name)) {
      throw new MissingParameterError(`the SQL uses the parameter :${name} but the request has no parameter named "${name}": add it to Parameters`);
    }
    // One placeholder per occurrence, so each use gets the type of its own context.
    values.push(supplied.get(name)!);
    return `$${values.length}`;
  }).join('');
  return { text, values };
}
