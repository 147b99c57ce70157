/**
 * Exact arithmetic for the compliance rules: money in fen (bigint), percentages
 * and averages as fractions of bigints. No floats anywhere: a comparison at the
 * exact threshold must come out the way the rule's wording says.
 */

/** num / den with den > 0. */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const AMOUNT = /^-?\d+(\.\d{1,2})?$/;
const PERCENT = /^\d+(\.\d+)?$/;

export function fraction(num: bigint, den = 1n): Fraction {
  if (den === 0n) throw new RangeError('division by zero');
  return den < 0n ? { num: -num, den: -den } : { num, den };
}

/** A yuan amount such as "10000000.00" or "200000" in fen. */
export function parseYuan(text: string): bigint {
  if (!AMOUNT.test(text)) throw new RangeError(`"${text}" is not an amount in yuan (digits, at most 2 decimals)`);
  const negative = text.startsWith('-');
  const [whole, decimals = ''] = (negative ? text.slice(1) : text).split('.');
  const fen = BigInt(whole) * 100n + BigInt(decimals.padEnd(2, '0'));
  return negative ? -fen : fen;
}

/** A percentage such as "70" or "6.5" as a fraction of one (70 → 70/100). */
export function parsePercent(text: string): Fraction {
  if (!PERCENT.test(text)) throw new RangeError(`"${text}" is not a percentage (digits with an optional decimal part, e.g. 70 or 6.5)`);
  const [whole, decimals = ''] = text.split('.');
  return fraction(BigInt(whole + decimals), 100n * 10n ** BigInt(decimals.length));
}

export function multiply(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.num, a.den * b.den);
}

export function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compare(a: Fraction, b: Fraction): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function average(values: readonly bigint[]): Fraction {
  if (values.length === 0) throw new RangeError('average of nothing');
  return fraction(
    values.reduce((sum, value) => sum + value, 0n),
    BigInt(values.length),
  );
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function reduce(value: Fraction): Fraction {
  const divisor = gcd(value.num, value.den) || 1n;
  return { num: value.num / divisor, den: value.den / divisor };
}

/**
 * A fraction as a decimal string with at least `minDecimals` decimals: exact when
 * it terminates (e.g. "0.707"), else rounded half away from zero to `minDecimals`
 * and marked with "≈".
 */
export function formatDecimal(value: Fraction, minDecimals = 2): string {
  const { num, den } = reduce(value);
  let rest = den;
  let twos = 0;
  let fives = 0;
  while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1];
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1];
  if (rest === 1n) {
    const decimals = Math.max(twos, fives, minDecimals);
    return digits((num * 10n ** BigInt(decimals)) / den, decimals);
  }
  const scaled = num * 10n ** BigInt(minDecimals);
  const magnitude = (scaled < 0n ? -scaled : scaled) * 2n + den;
  const rounded = magnitude / (2n * den);
  return `≈${digits(scaled < 0n ? -rounded : rounded, minDecimals)}`;
}

function digits(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  const fractionPart = text.slice(text.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fractionPart}` : ''}`;
}

/** Fen as yuan, e.g. 123456n → "1234.56"; a fraction of fen, exactly when it terminates. */
export function yuan(fen: bigint | Fraction): string {
  const value = typeof fen === 'bigint' ? fraction(fen) : fen;
  return formatDecimal(fraction(value.num, value.den * 100n));
}

/** part / whole as a percentage ("68.42", "≈33.33"), or null when whole is zero. */
export function percentage(part: bigint | Fraction, whole: bigint | Fraction): string | null {
  const a = typeof part === 'bigint' ? fraction(part) : part;
  const b = typeof whole === 'bigint' ? fraction(whole) : whole;
  if (b.num === 0n) return null;
  return formatDecimal(fraction(a.num * b.den * 100n, a.den * b.num));
}

/** A percentage fraction (70/100) back as its text ("70"). */
export function percentText(percent: Fraction): string {
  return formatDecimal(fraction(percent.num * 100n, percent.den), 0);
}
