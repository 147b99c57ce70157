import { formatAmount, isIsoCurrency, MoneyError, parseAmount } from '@charity-ledger/ledger-core';
import { DomainError } from './domain-error.js';

/** A clock skew allowance for dates and times sent by clients. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** An amount as the ledger stores it (a type, not an interface, so that it is a JSON object too). */
export type MoneyValue = { currency: string; minorUnits: number };

/** A decimal amount in the charity's currency, as the ledger stores it. */
export function moneyInput(text: string, currency: string, booksCurrency: string, field: string, currencyField = 'input.currency'): MoneyValue {
  currencyInput(currency, booksCurrency, currencyField);
  try {
    const money = parseAmount(text, currency);
    return { currency: money.currency, minorUnits: money.minorUnits };
  } catch (error) {
    if (error instanceof MoneyError) throw DomainError.badInput(field, error.message);
    throw error;
  }
}

/** The currency of an amount: an ISO 4217 code, and the one the charity keeps its books in. */
export function currencyInput(currency: string, booksCurrency: string, field: string): string {
  if (!isIsoCurrency(currency)) throw DomainError.badInput(field, `"${currency}" is not an ISO 4217 currency code`);
  if (currency !== booksCurrency) {
    throw DomainError.badInput(field, `this charity keeps its books in ${booksCurrency}; record the ${booksCurrency} amount`);
  }
  return currency;
}

export function formatMoney(money: MoneyValue): string {
  return formatAmount(money);
}

/** A time that has already happened (within the clock skew allowance). */
export function pastInstant(value: Date, now: Date, field: string): Date {
  if (value.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw DomainError.badInput(field, 'is in the future');
  return value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists. */
export function dateInput(text: string, field: string): string {
  const match = DATE.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) throw DomainError.badInput(field, `"${text}" is not a date (YYYY-MM-DD)`);
  return text;
}

/** Midnight at the start of a date in China Standard Time (UTC+8), as an instant. */
export function chinaMidnight(date: string): Date {
  return new Date(`${date}T00:00:00.000+08:00`);
}

const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Calendar date in China Standard Time, YYYY-MM-DD. */
export function chinaDate(instant: Date): string {
  return CHINA_DATE.format(instant);
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
