/**
 * Splits a SQL file into statements for the Data API, which takes one statement per entry. Line
 * comments are dropped and whitespace collapsed, except inside quoted strings and identifiers, where
 * semicolons do not split either.
 */
export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: "'" | '"' | null = null;
  for (let index = 0; index < script.length; index++) {
    const char = script[index]!;
    if (quote) {
      current += char;
      if (char === quote) quote = null;
    } else if (char === '-' && script[index + 1] === '-') {
      const end = script.indexOf('\n', index);
      index = end === -1 ? script.length : end - 1;
    } else if (char === ';') {
      statements.push(current);
      current = '';
    } else if (/\s/.test(char)) {
      if (!current.endsWith(' ')) current += ' ';
    } else {
      if (char === "'" || char === '"') quote = char;
      current += char;
    }
  }
  statements.push(current);
  return statements.map((statement) => statement.trim()).filter((statement) => statement !== '');
}
