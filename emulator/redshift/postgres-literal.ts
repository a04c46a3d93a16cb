/** A Postgres string literal (standard_conforming_strings on), for COPY options, which take no parameters. */
export function postgresLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
