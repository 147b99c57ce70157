import { average, compare, formatDecimal, fraction, multiply, parsePercent, parseYuan, percentage, yuan } from './exact-arithmetic.js';

describe('exact arithmetic', () => {
  it('parses yuan and percentages without floats', () => {
    expect(parseYuan('10000000.00')).toBe(1_000_000_000n);
    expect(parseYuan('0.1')).toBe(10n);
    expect(() => parseYuan('1,000.00')).toThrow(RangeError);
    expect(() => parseYuan('1.234')).toThrow(RangeError);
    expect(parsePercent('70')).toEqual({ num: 70n, den: 100n });
    expect(parsePercent('6.5')).toEqual({ num: 65n, den: 1000n });
    expect(() => parsePercent('1e2')).toThrow(RangeError);
  });

  it('shows terminating results exactly and marks rounded ones', () => {
    // 70% of 1.01 yuan is 0.707 yuan, not 0.71
    expect(yuan(multiply(parsePercent('70'), fraction(101n)))).toBe('0.707');
    expect(yuan(average([100n, 100n, 101n]))).toBe('≈1.00');
    expect(yuan(-12345n)).toBe('-123.45');
    expect(formatDecimal(fraction(2n, 3n))).toBe('≈0.67');
    expect(formatDecimal(fraction(-2n, 3n))).toBe('≈-0.67');
    expect(percentage(1n, 3n)).toBe('≈33.33');
    expect(percentage(1n, 0n)).toBeNull();
  });

  it('compares fractions exactly where a float would not', () => {
    // 0.1 + 0.2 vs 0.3 as fractions of one
    const sum = fraction(1n * 10n + 2n * 10n, 100n);
    expect(compare(sum, fraction(3n, 10n))).toBe(0);
    expect(compare(fraction(70001n), multiply(parsePercent('70'), average([100005n, 100000n, 100000n])))).toBe(-1);
  });
});
