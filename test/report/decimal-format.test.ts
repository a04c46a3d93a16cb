import { describe, expect, it } from 'vitest';
import { DecimalFormatError, formatCount, formatMoney, formatPercent, formatShare, hundredthsToDecimal, percentage, toHundredths } from '../../report/decimal-format.js';

describe('decimal-format', () => {
  it('reads Data API decimals into exact hundredths, rounding half away from zero past two decimals', () => {
    expect(toHundredths('1234.56')).toBe(123456n);
    expect(toHundredths('12.3')).toBe(1230n);
    expect(toHundredths('7')).toBe(700n);
    expect(toHundredths('0.005')).toBe(1n);
    expect(toHundredths('-0.005')).toBe(-1n);
    expect(toHundredths('0.0049')).toBe(0n);
    expect(toHundredths('90071992547409.93')).toBe(9007199254740993n);
    expect(toHundredths(-33.33)).toBe(-3333n);
    expect(() => toHundredths('1e3')).toThrow(new DecimalFormatError('"1e3" is not a decimal number'));
  });

  it('writes hundredths back with two decimals', () => {
    expect(hundredthsToDecimal(5n)).toBe('0.05');
    expect(hundredthsToDecimal(-123456n)).toBe('-1234.56');
  });

  it('computes a percentage to two decimals, half away from zero, and none of nothing', () => {
    expect(percentage(1n, 3n)).toBe('33.33');
    expect(percentage(2n, 3n)).toBe('66.67');
    expect(percentage(1n, 8n)).toBe('12.50');
    expect(percentage(1n, 80_000n)).toBe('0.00');
    expect(percentage(1n, 20_000n)).toBe('0.01');
    expect(percentage(-1n, 20_000n)).toBe('-0.01');
    expect(percentage(5n, 0n)).toBeNull();
  });

  it('formats money, counts and percentages for people', () => {
    expect(formatMoney('33943969.45')).toBe('$33,943,969.45');
    expect(formatMoney('-1000')).toBe('-$1,000.00');
    expect(formatMoney(123456n)).toBe('$1,234.56');
    expect(formatMoney('999.999')).toBe('$1,000.00');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount('999')).toBe('999');
    expect(formatPercent('-4.2')).toBe('-4.20%');
    expect(formatShare('12.5')).toBe('12.50%');
    expect(formatShare(null)).toBe('n/a');
  });
});
