/** The decimal separator of an export's numbers, read from the values of its quantity, price and discount columns. */

export interface DecimalSeparatorDecision {
  separator: '.' | ',';
  evidence: string;
}

/** The separator a number shows as decimal, or undefined when it shows none or cannot tell (`1,299`: thousands or decimals?). */
export function decimalSeparatorOf(value: string): '.' | ',' | undefined {
  const number = value.replace(/[^0-9.,]/g, '');
  const dot = number.lastIndexOf('.');
  const comma = number.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) return dot > comma ? '.' : ',';
  const position = Math.max(dot, comma);
  if (position < 0) return undefined;
  const separator = number[position] as '.' | ',';
  const repeated = number.indexOf(separator) !== position;
  if (repeated) return separator === '.' ? ',' : '.';
  const decimals = number.length - position - 1;
  return decimals === 3 ? undefined : separator;
}

export function inferDecimalSeparator(columns: { header: string; values: string[] }[]): DecimalSeparatorDecision {
  const seen: Record<'.' | ',', { count: number; example?: string }> = { '.': { count: 0 }, ',': { count: 0 } };
  let undecided = 0;
  for (const column of columns) {
    for (const value of column.values) {
      const separator = decimalSeparatorOf(value);
      if (separator === undefined) {
        if (/[.,]/.test(value)) undecided++;
        continue;
      }
      seen[separator].count++;
      seen[separator].example ??= `${column.header} "${value.trim()}"`;
    }
  }
  const headers = columns.map((column) => `"${column.header}"`).join(', ');
  if (seen['.'].count === 0 && seen[','].count === 0) {
    return { separator: '.', evidence: `no value of ${headers} shows a decimal separator${undecided ? ` (${undecided} like "1,299" could be either)` : ''}: the contract's "." stays` };
  }
  const separator = seen[','].count > seen['.'].count ? ',' : '.';
  const other = separator === ',' ? '.' : ',';
  return {
    separator,
    evidence: `${seen[separator].count} value(s) of ${headers} have "${separator}" as decimal separator (e.g. ${seen[separator].example})`
      + (seen[other].count > 0 ? `; ${seen[other].count} read the other way (e.g. ${seen[other].example}) and will be rejected` : `, none "${other}"`),
  };
}
