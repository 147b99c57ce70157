/**
 * Money is integer minor units (fen for CNY) everywhere inside the ledger; decimal
 * strings only at the edges. Never a float.
 */

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export interface Money {
  /** ISO 4217 code, e.g. CNY. */
  currency: string;
  /** Integer minor units (fen), at most 2^53 − 1. */
  minorUnits: number;
}

export function isIsoCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && ISO_4217.has(code);
}

const DIGITS = new Map<string, number>();

/** Number of decimals the currency's minor unit has (CNY 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    assertCurrency(currency);
    // building an Intl.NumberFormat costs ~20 µs: once per currency is enough
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    DIGITS.set(currency, digits);
  }
  return digits;
}

export function assertCurrency(currency: string): void {
  if (!isIsoCurrency(currency)) {
    throw new MoneyError(`"${currency}" is not an ISO 4217 currency code`);
  }
}

/**
 * Parses a positive decimal string ("12", "12.5", "12.50") into integer minor
 * units. Refuses signs, exponents, spaces, leading zeros, more decimals than the
 * currency has, zero, and values beyond 2^53 − 1 minor units.
 */
export function parseAmount(text: string, currency: string): Money {
  const digits = minorUnitDigits(currency);
  const match = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/.exec(text);
  if (!match) {
    throw new MoneyError(`"${text}" is not a plain decimal amount (digits with an optional decimal point, e.g. 100.50)`);
  }
  const [, whole, fraction = ''] = match;
  if (fraction.length > digits) {
    throw new MoneyError(`"${text}" has ${fraction.length} decimals; ${currency} allows at most ${digits}`);
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor <= 0n) {
    throw new MoneyError(`amount must be greater than zero`);
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError(`"${text}" is too large`);
  }
  return { currency, minorUnits: Number(minor) };
}

/** Formats integer minor units as a decimal string with the currency's decimals. */
export function formatAmount(money: Money): string {
  const digits = minorUnitDigits(money.currency);
  const negative = money.minorUnits < 0;
  const text = Math.abs(money.minorUnits).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
