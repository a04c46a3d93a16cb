/** A column of a Data Catalog table, with its Hive type name. */
export interface CatalogColumn {
  Name: string;
  Type: string;
}

const integerWidths = ['tinyint', 'smallint', 'int', 'bigint'];
const floatingWidths = ['float', 'double'];

/** The type that holds values of both, as Glue combines compatible schemas: wider numbers, else string. */
export function widerType(a: string, b: string): string {
  if (a === b) return a;
  const integers = [integerWidths.indexOf(a), integerWidths.indexOf(b)];
  const floats = [floatingWidths.indexOf(a), floatingWidths.indexOf(b)];
  if (integers.every((rank) => rank >= 0)) return integerWidths[Math.max(...integers)]!;
  if (floats.every((rank) => rank >= 0)) return floatingWidths[Math.max(...floats)]!;
  if (integers.some((rank) => rank >= 0) && floats.some((rank) => rank >= 0)) return 'double';
  return 'string';
}

/** The union of several files' columns, in first-seen order, each with the wider of its types. */
export function mergeColumns(schemas: CatalogColumn[][]): CatalogColumn[] {
  const merged = new Map<string, string>();
  for (const columns of schemas) {
    for (const { Name, Type } of columns) {
      const known = merged.get(Name);
      merged.set(Name, known === undefined ? Type : widerType(known, Type));
    }
  }
  return [...merged].map(([Name, Type]) => ({ Name, Type }));
}

export function sameColumns(a: readonly CatalogColumn[], b: readonly CatalogColumn[]): boolean {
  return a.length === b.length && a.every((column, index) => column.Name === b[index]!.Name && column.Type === b[index]!.Type);
}

/** Crawled columns with the table's existing ones first, in their order: a recrawl appends new columns instead of reordering. */
export function inExistingOrder(crawled: CatalogColumn[], existingNames: string[]): CatalogColumn[] {
  const rank = new Map(existingNames.map((name, index) => [name, index]));
  const known = crawled.filter((column) => rank.has(column.Name)).sort((a, b) => rank.get(a.Name)! - rank.get(b.Name)!);
  return [...known, ...crawled.filter((column) => !rank.has(column.Name))];
}
