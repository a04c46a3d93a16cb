import contract from '../glue/sales_cleaning/contract.json' with { type: 'json' };

/**
 * The data contract (docs/data-contract.md) as the Glue job ships it: glue/sales_cleaning/contract.json is
 * the one place that lists the clean and rejected columns in Parquet order (which COPY maps by position),
 * the required input columns, the reasons in their order and the line key rule. The loader, reconcile,
 * the generator and the tests read it from here.
 */
export type ColumnType = 'varchar' | 'char' | 'integer' | 'bigint' | 'decimal' | 'date' | 'timestamp';

export interface ContractColumn {
  name: string;
  type: ColumnType;
  /** Characters, for varchar and char; absent where the contract sets no bound. */
  length?: number;
  precision?: number;
  scale?: number;
  nullable: boolean;
  from?: 'input' | 'derived' | 'lineage';
  required?: boolean;
  aliases?: string[];
  too_long?: 'reject' | 'truncate';
}

export interface SalesContract {
  clean_columns: ContractColumn[];
  rejected_columns: ContractColumn[];
  line_key: { columns: string[]; line_key_from: string[] };
  reasons: string[];
  reasons_separator: string;
}

export const salesContract = contract as SalesContract;

/** The clean Parquet columns in file order. */
export const CLEAN_COLUMNS: readonly string[] = salesContract.clean_columns.map((column) => column.name);
/** The rejected-rows Parquet columns in file order. */
export const REJECTED_COLUMNS: readonly string[] = salesContract.rejected_columns.map((column) => column.name);
/** The columns a raw file may carry, in contract order. */
export const INPUT_COLUMNS: readonly ContractColumn[] = salesContract.clean_columns.filter((column) => column.from === 'input');
/** Input columns a file must have (besides the line key's source), in contract order: the order of their `missing_required:` reasons. */
export const REQUIRED_COLUMNS: readonly string[] = INPUT_COLUMNS.filter((column) => column.required).map((column) => column.name);
/** Every rejection reason in the order a row lists them. */
export const REASON_ORDER: readonly string[] = salesContract.reasons;
/** The warehouse's key of an order line. */
export const LINE_KEY_COLUMNS: readonly string[] = salesContract.line_key.columns;

export function contractColumn(name: string): ContractColumn {
  const column = salesContract.clean_columns.find((candidate) => candidate.name === name);
  if (!column) throw new Error(`contract.json has no clean column ${name}`);
  return column;
}
