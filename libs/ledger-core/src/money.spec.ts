import { formatAmount, isIsoCurrency, MoneyError, parseAmount } from './money.js';

describe('parseAmount', () => {
  it.each([
    ['100', 'CNY', 10000],
    ['100.5', 'CNY', 10050],
    ['0.01', 'CNY', 1],
    ['90071992547409.91', 'CNY', Number.MAX_SAFE_INTEGER],
    ['1500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
  ])('parses %s %s as %d minor units', (text, currency, minorUnits) => {
    expect(parseAmount(text, currency)).toEqual({ currency, minorUnits });
  });

  it.each([
    ['-1', 'not a plain decimal'],
    ['0', 'greater than zero'],
    ['0.00', 'greater than zero'],
    ['1e3', 'not a plain decimal'],
    ['1.234', 'at most 2'],
    ['01', 'not a plain decimal'],
    [' 1', 'not a plain decimal'],
    ['1.', 'not a plain decimal'],
    ['.5', 'not a plain decimal'],
    ['１', 'not a plain decimal'],
    ['90071992547409.92', 'too large'],
  ])('refuses %s', (text, message) => {
    expect(() => parseAmount(text, 'CNY')).toThrow(MoneyError);
    expect(() => parseAmount(text, 'CNY')).toThrow(message);
  });

  it('refuses decimals in a currency without minor units', () => {
    expect(() => parseAmount('1.5', 'JPY')).toThrow('JPY allows at most 0');
  });

  it('refuses unknown currencies', () => {
    expect(isIsoCurrency('CNY')).toBe(true);
    expect(isIsoCurrency('cny')).toBe(false);
    expect(isIsoCurrency('ABC')).toBe(false);
    expect(() => parseAmount('1', 'ABC')).toThrow('not an ISO 4217 currency');
  });
});

describe('formatAmount', () => {
  it.each([
    [1, 'CNY', '0.01'],
    [10050, 'CNY', '100.50'],
    [-250, 'CNY', '-2.50'],
    [0, 'CNY', '0.00'],
    [1500, 'JPY', '1500'],
  ])('formats %d %s as %s', (minorUnits, currency, text) => {
    expect(formatAmount({ currency, minorUnits })).toBe(text);
  });
});
