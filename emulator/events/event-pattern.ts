/** EventBridge event pattern matching (the subset rules use: values, prefix, suffix, anything-but, exists, numeric). */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function matchesEventPattern(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([field, rule]) => matchesField(rule, event[field]));
}

function matchesField(rule: Json, value: Json | undefined): boolean {
  if (Array.isArray(rule)) {
    const values = Array.isArray(value) ? value : [value];
    return rule.some((condition) => matchesCondition(condition, values));
  }
  if (rule !== null && typeof rule === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    return matchesEventPattern(rule, value);
  }
  throw new Error(`event pattern value ${JSON.stringify(rule)} must be an array or an object`);
}

function matchesCondition(condition: Json, values: (Json | undefined)[]): boolean {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    return values.some((value) => value === condition);
  }
  const [operator, operand] = Object.entries(condition)[0] ?? [];
  switch (operator) {
    case 'exists':
      return (values.some((value) => value !== undefined)) === operand;
    case 'prefix':
      return values.some((value) => typeof value === 'string' && value.startsWith(String(operand)));
    case 'suffix':
      return values.some((value) => typeof value === 'string' && value.endsWith(String(operand)));
    case 'anything-but': {
      const excluded = Array.isArray(operand) ? operand : [operand ?? null];
      return values.some((value) => value !== undefined && !excluded.includes(value as Json));
    }
    case 'numeric':
      return values.some((value) => typeof value === 'number' && matchesNumeric(operand as (string | number)[], value));
    default:
      throw new Error(`event pattern operator ${JSON.stringify(operator)} is not supported by the emulator`);
  }
}

function matchesNumeric(comparisons: (string | number)[], value: number): boolean {
  for (let index = 0; index < comparisons.length; index += 2) {
    const operator = comparisons[index];
    const bound = Number(comparisons[index + 1]);
    const ok = operator === '<' ? value < bound
      : operator === '<=' ? value <= bound
        : operator === '>' ? value > bound
          : operator === '>=' ? value >= bound
            : value === bound;
    if (!ok) return false;
  }
  return true;
}
