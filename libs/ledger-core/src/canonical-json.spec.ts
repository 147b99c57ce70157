import { CanonicalJsonError, canonicalize, canonicalizeLedgerValue, canonicalLedgerBytes } from './canonical-json.js';

describe('canonicalize (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, not by locale', () => {
    const text = canonicalize({ peach: 1, péché: 2, pêche: 3, sin: 4, Z: 5, a: 6 });
    expect(text).toBe('{"Z":5,"a":6,"peach":1,"péché":2,"pêche":3,"sin":4}');
  });

  it('sorts astral-plane member names by their surrogate code units', () => {
    // U+1F602 is D83D DE02 in UTF-16, which sorts before U+FB33
    const text = canonicalize({ '\ufb33': 'b', '\u{1F602}': 'a' });
    expect(text).toBe('{"\u{1F602}":"a","\ufb33":"b"}');
  });

  it('keeps non-ASCII text as UTF-8, escaping only what JSON requires', () => {
    const text = canonicalize({ name: '张三 donated ¥', control: '\u000f\n"\\' });
    expect(text).toBe('{"control":"\\u000f\\n\\"\\\\","name":"张三 donated ¥"}');
    expect(Buffer.from(text, 'utf8').includes(Buffer.from('张三', 'utf8'))).toBe(true);
  });

  it('does not normalize Unicode', () => {
    expect(canonicalize({ s: 'A\u030a' })).toBe('{"s":"A\u030a"}');
  });

  it('serializes numbers the ECMAScript way', () => {
    expect(canonicalize([1e30, 4.5, 2e-3, 0.000000000000000000000000001, -0, 333333333.33333329])).toBe(
      '[1e+30,4.5,0.002,1e-27,0,333333333.3333333]',
    );
  });
});

describe('canonicalizeLedgerValue', () => {
  it('accepts integers up to 2^53 − 1 and prints them exactly', () => {
    expect(canonicalizeLedgerValue({ max: Number.MAX_SAFE_INTEGER, min: -Number.MAX_SAFE_INTEGER })).toBe(
      '{"max":9007199254740991,"min":-9007199254740991}',
    );
  });

  it.each([
    ['a float', { amount: 0.1 }, '$.amount'],
    ['an integer beyond 2^53', { amount: 2 ** 53 }, '$.amount'],
    ['NaN', { amount: Number.NaN }, '$.amount'],
    ['Infinity', [Number.POSITIVE_INFINITY], '$[0]'],
    ['undefined', { donor: undefined }, '$.donor'],
    ['a bigint', { amount: 10n }, '$.amount'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a lone surrogate', { name: 'x\ud800' }, '$.name'],
    ['a nested float', { items: [{ quantity: 1.5 }] }, '$.items[0].quantity'],
  ])('refuses %s and names where it is', (_label, value, path) => {
    expect(() => canonicalizeLedgerValue(value)).toThrow(CanonicalJsonError);
    try {
      canonicalizeLedgerValue(value);
    } catch (error) {
      expect((error as CanonicalJsonError).path).toBe(path);
    }
  });

  it('produces UTF-8 bytes', () => {
    expect(canonicalLedgerBytes({ a: 'é' })).toEqual(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0xa9, 0x22, 0x7d]));
  });
});
