import { describe, expect, it } from 'vitest';
import { splitSqlScript } from '../../warehouse/sql-script.js';

describe('splitSqlScript', () => {
  it('splits on semicolons, drops comments and collapses whitespace', () => {
    const script = '-- a table\nCREATE TABLE a (\n  x INT -- the x\n);\n\nINSERT INTO a VALUES (1);\n-- trailing comment\n';
    expect(splitSqlScript(script)).toEqual(['CREATE TABLE a ( x INT )', 'INSERT INTO a VALUES (1)']);
  });

  it('keeps semicolons, dashes and whitespace that are inside quotes', () => {
    expect(splitSqlScript(`INSERT INTO a VALUES ('x;y', '--not  a\ncomment'); SELECT "odd;name" FROM a`))
      .toEqual([`INSERT INTO a VALUES ('x;y', '--not  a\ncomment')`, 'SELECT "odd;name" FROM a']);
  });
});
