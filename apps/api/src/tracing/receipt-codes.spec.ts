import { newReceiptCode, normalizeReceiptCode, receiptCodeHash } from './receipt-codes.js';

describe('receipt codes', () => {
  it('are 100 random bits in readable groups, different every time', () => {
    const codes = new Set(Array.from({ length: 1000 }, newReceiptCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^RC-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
  });

  it('normalize what a person types to the same hash', () => {
    const code = 'RC-7K2M-Q9TX-01AB-CDEF-GH3J';
    const typed = ' rc 7k2m q9tx oiab cdef gh3j ';
    expect(normalizeReceiptCode(typed)).toBe(normalizeReceiptCode(code));
    expect(receiptCodeHash(normalizeReceiptCode(typed)!)).toBe(receiptCodeHash(normalizeReceiptCode(code)!));
  });

  it('refuse what cannot be a code', () => {
    expect(normalizeReceiptCode('RC-1234')).toBeNull();
    expect(normalizeReceiptCode('RC-UUUU-UUUU-UUUU-UUUU-UUUU')).toBeNull();
  });
});
