import { verifyChain, type StoredEntry } from './chain.js';
import { GENESIS_PREV_HASH, sealEntry, type EntryFields } from './entry.js';
import { sha256Hex } from './hashing.js';

const CHARITY = '6f1c1b8e-7d4a-4a55-9f3e-0d7b6a1c2e3f';

function buildChain(length: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let prevHash = GENESIS_PREV_HASH;
  for (let sequence = 1; sequence <= length; sequence++) {
    const fields: EntryFields = {
      charityId: CHARITY,
      sequence,
      type: 'CASH_DONATION',
      occurredAt: '2026-11-01T08:00:00.000Z',
      recordedAt: '2026-11-01T08:00:01.000Z',
      actorKeyId: '0d0c3a8e-1111-4a55-9f3e-0d7b6a1c2e3f',
      prevHash,
      payload: { amount: { currency: 'CNY', minorUnits: 100 * sequence }, donor: { displayName: '李四' } },
    };
    const sealed = sealEntry(fields);
    entries.push({
      sequence,
      canonicalBytes: sealed.canonicalBytes,
      hash: sealed.hash,
      prevHash,
      type: fields.type,
      occurredAt: fields.occurredAt,
      recordedAt: fields.recordedAt,
      actorKeyId: fields.actorKeyId,
      payload: fields.payload,
    });
    prevHash = sealed.hash;
  }
  return entries;
}

describe('sealEntry', () => {
  it('hashes exactly the canonical bytes of the entry document', () => {
    const sealed = sealEntry({
      charityId: CHARITY,
      sequence: 1,
      type: 'CASH_DONATION',
      occurredAt: '2026-11-01T08:00:00.000Z',
      recordedAt: '2026-11-01T08:00:01.000Z',
      actorKeyId: 'k',
      prevHash: GENESIS_PREV_HASH,
      payload: { b: 1, a: '¥' },
    });
    const expected =
      `{"actorKeyId":"k","charityId":"${CHARITY}","format":1,"occurredAt":"2026-11-01T08:00:00.000Z",` +
      `"payload":{"a":"¥","b":1},"prevHash":"${GENESIS_PREV_HASH}","recordedAt":"2026-11-01T08:00:01.000Z",` +
      `"sequence":1,"type":"CASH_DONATION"}`;
    expect(sealed.canonicalBytes.toString('utf8')).toBe(expected);
    expect(sealed.hash).toBe(sha256Hex(Buffer.from(expected, 'utf8')));
    expect(sealed.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a float in the payload', () => {
    expect(() =>
      sealEntry({
        charityId: CHARITY,
        sequence: 1,
        type: 'CASH_DONATION',
        occurredAt: 'x',
        recordedAt: 'x',
        actorKeyId: 'k',
        prevHash: GENESIS_PREV_HASH,
        payload: { amount: 1.5 },
      }),
    ).toThrow('$.payload.amount');
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain and reports its head', () => {
    const chain = buildChain(5);
    expect(verifyChain(CHARITY, chain)).toEqual({
      valid: true,
      length: 5,
      headHash: chain[4].hash,
      firstInvalidSequence: null,
      reason: null,
    });
  });

  it('accepts an empty chain', () => {
    expect(verifyChain(CHARITY, [])).toMatchObject({ valid: true, length: 0, headHash: GENESIS_PREV_HASH });
  });

  it('names the entry whose bytes were edited without fixing the hash', () => {
    const chain = buildChain(5);
    chain[2].canonicalBytes = Buffer.from(Buffer.from(chain[2].canonicalBytes).toString('utf8').replace('300', '900'));
    expect(verifyChain(CHARITY, chain)).toMatchObject({ valid: false, length: 2, firstInvalidSequence: 3 });
    expect(verifyChain(CHARITY, chain).reason).toContain('does not match SHA-256');
  });

  it('names the entry after one whose bytes and hash were both rewritten', () => {
    const chain = buildChain(5);
    const edited = Buffer.from(Buffer.from(chain[2].canonicalBytes).toString('utf8').replace('300', '900'));
    chain[2].canonicalBytes = edited;
    chain[2].hash = sha256Hex(edited);
    chain[2].payload = JSON.parse(edited.toString('utf8')).payload;
    const result = verifyChain(CHARITY, chain);
    expect(result).toMatchObject({ valid: false, firstInvalidSequence: 4 });
    expect(result.reason).toContain('does not link');
  });

  it('names an entry whose queryable payload column was edited', () => {
    const chain = buildChain(5);
    chain[1].payload = { amount: { currency: 'CNY', minorUnits: 999999 }, donor: { displayName: '李四' } };
    expect(verifyChain(CHARITY, chain)).toMatchObject({ valid: false, firstInvalidSequence: 2 });
  });

  it('detects a gap and a repeated sequence', () => {
    const gap = buildChain(4);
    gap.splice(1, 1);
    expect(verifyChain(CHARITY, gap)).toMatchObject({ valid: false, firstInvalidSequence: 2 });
    expect(verifyChain(CHARITY, gap).reason).toContain('missing');

    const repeated = buildChain(3);
    repeated.splice(2, 0, repeated[1]);
    expect(verifyChain(CHARITY, repeated)).toMatchObject({ valid: false, firstInvalidSequence: 3 });
  });

  it('refuses an entry of another charity and bytes that are not canonical', () => {
    const chain = buildChain(2);
    expect(verifyChain('another', chain)).toMatchObject({ valid: false, firstInvalidSequence: 1 });

    const spaced = buildChain(1);
    const text = Buffer.from(spaced[0].canonicalBytes).toString('utf8').replace('{', '{ ');
    spaced[0].canonicalBytes = Buffer.from(text);
    spaced[0].hash = sha256Hex(text);
    expect(verifyChain(CHARITY, spaced).reason).toBe('stored bytes are not RFC 8785 canonical JSON');
  });
});
