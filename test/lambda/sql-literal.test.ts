import { describe, expect, it } from 'vitest';
import { sqlInteger, sqlNullableString, sqlString, sqlTimestamp, UnsafeSqlValueError } from '../../warehouse/sql-literal.js';

describe('sqlString', () => {
  it('doubles quotes', () => {
    expect(sqlString("O'Brien's")).toBe("'O''Brien''s'");
  });

  it('spells backslashes as CHR(92) so Redshift and Postgres read the same text', () => {
    expect(sqlString('C:\\data\\x')).toBe("'C:' || CHR(92) || 'data' || CHR(92) || 'x'");
  });

  it('refuses NUL characters', () => {
    expect(() => sqlString('a\u0000b')).toThrow(UnsafeSqlValueError);
  });
});

describe('sqlNullableString and sqlInteger', () => {
  it('write NULL for missing values', () => {
    expect(sqlNullableString(undefined)).toBe('NULL');
    expect(sqlInteger(null)).toBe('NULL');
    expect(sqlInteger(42)).toBe('42');
    expect(() => sqlInteger(1.5)).toThrow(/1.5 is not an integer/);
  });
});

describe('sqlTimestamp', () => {
  it('turns UTC ISO instants into TIMESTAMP literals, keeping microseconds', () => {
    expect(sqlTimestamp('2024-03-05T10:11:12.123456Z')).toBe("CAST('2024-03-05 10:11:12.123456' AS TIMESTAMP)");
    expect(sqlTimestamp('2024-03-05T10:11:12+00:00')).toBe("CAST('2024-03-05 10:11:12' AS TIMESTAMP)");
    expect(sqlTimestamp(new Date('2024-03-05T10:11:12.5Z'))).toBe("CAST('2024-03-05 10:11:12.500' AS TIMESTAMP)");
  });

  it('refuses anything that is not a UTC instant', () => {
    expect(() => sqlTimestamp("2024-03-05'; DROP TABLE sales; --")).toThrow(UnsafeSqlValueError);
    expect(() => sqlTimestamp('2024-03-05T10:11:12+02:00')).toThrow(UnsafeSqlValueError);
  });
});
