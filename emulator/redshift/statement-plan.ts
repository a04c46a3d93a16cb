import { translateRedshiftSql } from './redshift-dialect.js';
import { isSymbol, isWord, significant, SqlSyntaxError, stringValue, tokenize, type Token } from './sql-tokens.js';

export type FileFormat = 'csv' | 'text' | 'parquet';

/** `COPY table [(columns)] FROM 's3://…' options`: what the emulator needs to load the objects. */
export interface CopyCommand {
  table: string;
  columns?: string[];
  source: string;
  format: FileFormat;
  manifest: boolean;
  delimiter?: string;
  quote?: string;
  nullAs?: string;
  ignoreHeader: number;
}

/** `UNLOAD ('select …') TO 's3://prefix' options`, written as delimited text objects. */
export interface UnloadCommand {
  query: string;
  destination: string;
  format: Exclude<FileFormat, 'parquet'>;
  header: boolean;
  parallel: boolean;
  allowOverwrite: boolean;
  delimiter?: string;
  nullAs?: string;
}

export type StatementPlan =
  | { kind: 'sql'; sql: string }
  | { kind: 'copy'; copy: CopyCommand }
  | { kind: 'unload'; unload: UnloadCommand };

export class UnsupportedSqlError extends Error {
  override readonly name = 'UnsupportedSqlError';
}

/** Options whose only effect on Redshift is on credentials, statistics or compression analysis. */
const IGNORED_WITH_VALUE = new Set(['IAM_ROLE', 'CREDENTIALS', 'ACCESS_KEY_ID', 'SECRET_ACCESS_KEY', 'SESSION_TOKEN', 'REGION', 'COMPUPDATE', 'STATUPDATE']);

/** Reads a Redshift option list (`KEYWORD [AS] [value]`…) token by token. */
class OptionCursor {
  private index = 0;
  constructor(private readonly tokens: Token[], private readonly command: string) {}

  get done(): boolean {
    return this.index >= this.tokens.length || isSymbol(this.tokens[this.index], ';');
  }

  keyword(): string {
    const token = this.tokens[this.index++];
    if (token?.kind !== 'word') throw new SqlSyntaxError(`${this.command}: expected an option name, found ${token?.text ?? 'the end'}`);
    return token.text.toUpperCase();
  }

  peekWord(...words: string[]): boolean {
    return isWord(this.tokens[this.index], ...words);
  }

  string(option: string): string {
    if (this.peekWord('AS')) this.index += 1;
    const token = this.tokens[this.index++];
    if (token?.kind !== 'string') throw new SqlSyntaxError(`${this.command}: ${option} needs a quoted value, found ${token?.text ?? 'the end'}`);
    return stringValue(token);
  }

  integer(option: string): number {
    if (this.peekWord('AS')) this.index += 1;
    const token = this.tokens[this.index++];
    if (token?.kind !== 'number' || !/^\d+$/.test(token.text)) throw new SqlSyntaxError(`${this.command}: ${option} needs a whole number, found ${token?.text ?? 'the end'}`);
    return Number(token.text);
  }

  /** An option's value of any kind (string, word, number), for options the emulator ignores. */
  skipValue(): void {
    if (this.peekWord('AS')) this.index += 1;
    if (!this.done) this.index += 1;
  }

  /** ON/OFF/TRUE/FALSE after a flag; a bare flag means on. */
  flag(): boolean {
    if (this.peekWord('ON', 'TRUE')) { this.index += 1; return true; }
    if (this.peekWord('OFF', 'FALSE')) { this.index += 1; return false; }
    return true;
  }
}

function unsupported(command: string, option: string): never {
  throw new UnsupportedSqlError(`${command} option ${option} is not supported by the emulator; supported: FORMAT CSV|PARQUET, CSV, PARQUET, DELIMITER, QUOTE, NULL AS, IGNOREHEADER, DATEFORMAT/TIMEFORMAT 'auto', MANIFEST, HEADER, PARALLEL, ALLOWOVERWRITE, IAM_ROLE`);
}

function readFormat(options: OptionCursor, allowed: FileFormat[], command: string): FileFormat {
  if (options.peekWord('AS')) options.keyword();
  const format = options.keyword().toLowerCase() as FileFormat;
  if (!allowed.includes(format)) unsupported(command, `FORMAT ${format.toUpperCase()}`);
  return format;
}

function readDateFormat(options: OptionCursor, option: string, command: string): void {
  const format = options.string(option);
  // Postgres reads ISO dates and timestamps natively, which is what 'auto' accepts in practice.
  if (format.toLowerCase() !== 'auto') unsupported(command, `${option} '${format}' (only 'auto')`);
}

function parseCopy(tokens: Token[]): CopyCommand {
  const from = tokens.findIndex((token) => isWord(token, 'FROM'));
  const head = tokens.slice(1, from);
  const open = head.findIndex((token) => isSymbol(token, '('));
  const table = (open < 0 ? head : head.slice(0, open)).map((token) => token.text).join('');
  const columns = open < 0 ? undefined : head.slice(open + 1, -1).filter((token) => !isSymbol(token, ',')).map((token) => token.text);
  const command: CopyCommand = { table, columns, source: stringValue(tokens[from + 1]!), format: 'text', manifest: false, ignoreHeader: 0 };
  const options = new OptionCursor(tokens.slice(from + 2), 'COPY');
  while (!options.done) {
    const option = options.keyword();
    if (IGNORED_WITH_VALUE.has(option)) options.skipValue();
    else if (option === 'FORMAT') command.format = readFormat(options, ['csv', 'parquet'], 'COPY');
    else if (option === 'CSV' || option === 'PARQUET') command.format = option.toLowerCase() as FileFormat;
    else if (option === 'DELIMITER') command.delimiter = options.string(option);
    else if (option === 'QUOTE') command.quote = options.string(option);
    else if (option === 'NULL') command.nullAs = options.string(option);
    else if (option === 'IGNOREHEADER') command.ignoreHeader = options.integer(option);
    else if (option === 'DATEFORMAT' || option === 'TIMEFORMAT') readDateFormat(options, option, 'COPY');
    else if (option === 'MANIFEST') command.manifest = true;
    else unsupported('COPY', option);
  }
  return command;
}

function parseUnload(tokens: Token[]): UnloadCommand {
  if (!isSymbol(tokens[1], '(') || tokens[2]?.kind !== 'string' || !isSymbol(tokens[3], ')') || !isWord(tokens[4], 'TO')) {
    throw new SqlSyntaxError("UNLOAD must read UNLOAD ('select …') TO 's3://bucket/prefix' …");
  }
  const command: UnloadCommand = {
    query: translateRedshiftSql(stringValue(tokens[2])), destination: stringValue(tokens[5]!),
    format: 'text', header: false, parallel: true, allowOverwrite: false,
  };
  const options = new OptionCursor(tokens.slice(6), 'UNLOAD');
  while (!options.done) {
    const option = options.keyword();
    if (IGNORED_WITH_VALUE.has(option)) options.skipValue();
    else if (option === 'FORMAT') command.format = readFormat(options, ['csv'], 'UNLOAD') as 'csv';
    else if (option === 'CSV') command.format = 'csv';
    else if (option === 'HEADER') command.header = true;
    else if (option === 'DELIMITER') command.delimiter = options.string(option);
    else if (option === 'NULL') command.nullAs = options.string(option);
    else if (option === 'PARALLEL') command.parallel = options.flag();
    else if (option === 'ALLOWOVERWRITE') command.allowOverwrite = true;
    else unsupported('UNLOAD', option);
  }
  return command;
}

/**
 * Redshift's CREATE USER as Postgres runs it. A user belongs to a Redshift cluster, but the emulator may serve
 * several stages' databases from one Postgres server, whose roles they all share: a user that already exists
 * there is kept (its migration runs once per database). PASSWORD DISABLE, no login until a password is set,
 * is Postgres' PASSWORD NULL.
 */
function createUserSql(tokens: Token[]): string {
  const name = tokens[2];
  const passwordAt = isWord(tokens[3], 'WITH') ? 4 : 3;
  const password = tokens[passwordAt + 1];
  const rest = tokens.slice(passwordAt + 2).filter((token) => !isSymbol(token, ';'));
  const validName = name?.kind === 'word' || name?.kind === 'quoted-name';
  if (!validName || !isWord(tokens[passwordAt], 'PASSWORD') || !(isWord(password, 'DISABLE') || password?.kind === 'string') || rest.length > 0) {
    throw new UnsupportedSqlError(`the emulator supports CREATE USER name [WITH] PASSWORD { DISABLE | 'password' | 'md5hash' }, not: ${tokens.map((token) => token.text).join(' ').slice(0, 200)}`);
  }
  const passwordSql = isWord(password, 'DISABLE') ? 'NULL' : password!.text;
  return `DO $emulator$ BEGIN CREATE ROLE ${name!.text} LOGIN PASSWORD ${passwordSql}; EXCEPTION WHEN duplicate_object THEN NULL; END $emulator$`;
}

/** Decides how the emulator runs one Data API statement: as SQL on Postgres, or as a COPY/UNLOAD against S3. */
export function planStatement(sql: string): StatementPlan {
  const tokens = significant(tokenize(sql));
  if (isWord(tokens[0], 'UNLOAD')) return { kind: 'unload', unload: parseUnload(tokens) };
  if (isWord(tokens[0], 'CREATE') && isWord(tokens[1], 'USER')) return { kind: 'sql', sql: createUserSql(tokens) };
  if (isWord(tokens[0], 'COPY')) {
    const from = tokens.findIndex((token) => isWord(token, 'FROM'));
    const source = tokens[from + 1];
    if (source?.kind === 'string' && stringValue(source).startsWith('s3://')) return { kind: 'copy', copy: parseCopy(tokens) };
  }
  return { kind: 'sql', sql: translateRedshiftSql(sql) };
}
