import fc from 'fast-check';
import { canonicalize, sealEntry } from '@charity-ledger/ledger-core';
import { readCanonicalEntry } from './canonical-entry.js';

/** The reference: the text is canonical iff re-serializing its value gives it back. */
function referenceCanonical(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

const entry = sealEntry({
  charityId: '534fddad-54e5-4aa9-bfbb-e2f52cad7531',
  sequence: 7,
  type: 'CASH_DONATION',
  occurredAt: '2026-11-01T09:30:00.000Z',
  recordedAt: '2026-11-28T18:18:06.317Z',
  actorKeyId: '5374f824-6302-4dbe-a005-4858125c8fad',
  prevHash: 'ab'.repeat(32),
  payload: { amount: { currency: 'CNY', minorUnits: 50000 }, note: '王会计 "quoted" \\ tab\t newline\n \u0001 \u2028', list: [1, -2, 0, true, null, {}, []] },
}).canonicalBytes.toString('utf8');

describe('readCanonicalEntry', () => {
  it('given a sealed entry, when read, then it is canonical and its head members are returned', () => {
    expect(readCanonicalEntry(entry)).toEqual({
      ok: true,
      head: { format: 1, charityId: '534fddad-54e5-4aa9-bfbb-e2f52cad7531', sequence: 7, prevHash: 'ab'.repeat(32) },
    });
  });

  it.each([
    ['whitespace', entry.replace('{"actorKeyId"', '{ "actorKeyId"')],
    ['members out of order', entry.replace('"format":1,', '').replace('{', '{"format":1,')],
    ['a duplicate member', entry.replace('"format":1,', '"format":1,"format":1,')],
    ['an escaped solidus', entry.replace('王会计', '王\\/会计')],
    ['a needless \\u escape', entry.replace('王会计', '\\u0041')],
    ['an uppercase \\u escape', entry.replace('\\u0001', '\\u001B')],
    ['a \\u escape that has a short form', entry.replace('\\n', '\\u000a')],
    ['a leading zero', entry.replace('"minorUnits":50000', '"minorUnits":050000')],
    ['minus zero', entry.replace('"minorUnits":50000', '"minorUnits":-0')],
    ['a fraction with a trailing zero', entry.replace('"minorUnits":50000', '"minorUnits":500.50')],
    ['an exponent', entry.replace('"minorUnits":50000', '"minorUnits":5e4')],
    ['a raw control character', entry.replace('\\t', '\t')],
    ['trailing text', `${entry} `],
  ])('given %s, when read, then it is refused as the reference check refuses it', (_what, text) => {
    expect(referenceCanonical(text)).toBe(false);
    expect(readCanonicalEntry(text).ok).toBe(false);
  });

  it('given a number beyond 15 digits, when canonical, then the reference check accepts it', () => {
    const text = entry.replace('"minorUnits":50000', '"minorUnits":1234567890123456');
    expect(readCanonicalEntry(text).ok).toBe(referenceCanonical(text));
  });

  it('given any JSON object, when canonicalized, then it is accepted with the same head as JSON.parse gives', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }).filter((value) => JSON.stringify(value) !== undefined)), (value) => {
        const text = canonicalize(value);
        const read = readCanonicalEntry(text);
        expect(read.ok).toBe(true);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (read.ok) expect(read.head).toEqual({ format: parsed.format, charityId: parsed.charityId, sequence: parsed.sequence, prevHash: parsed.prevHash });
      }),
      { numRuns: 500 },
    );
  });

  it('given any small edit of a canonical text, when read, then it is accepted exactly when the reference accepts it', () => {
    const alphabet = ['{', '}', '[', ']', '"', '\\', ',', ':', ' ', '0', '1', '-', '.', 'e', 'u', 'a', 'n', 't', '\n'];
    fc.assert(
      fc.property(fc.nat({ max: entry.length - 1 }), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'replace', 'delete'), (at, character, edit) => {
        const text =
          edit === 'insert' ? entry.slice(0, at) + character + entry.slice(at) : edit === 'replace' ? entry.slice(0, at) + character + entry.slice(at + 1) : entry.slice(0, at) + entry.slice(at + 1);
        expect(readCanonicalEntry(text).ok).toBe(referenceCanonical(text));
      }),
      { numRuns: 3000 },
    );
  });
});
