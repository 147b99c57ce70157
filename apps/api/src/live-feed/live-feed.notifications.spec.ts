import { randomUUID } from 'node:crypto';
import { decodeCheckpointNotice, decodeEntriesNotice, encodeEntriesNotice, MAX_NOTIFIED_CHARITIES } from './live-feed.notifications.js';

describe('live feed notices', () => {
  it('carry the position range of a batch and its charities, once each', () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const payload = encodeEntriesNotice([41, 42, 43, 44], [a, b, a, a]);
    expect(decodeEntriesNotice(payload)).toEqual({ first: 41, last: 44, charityIds: [a, b] });
  });

  it('stay far below the 8000-byte NOTIFY limit for the largest batch: the charity list is left out past a hundred', () => {
    const charities = Array.from({ length: 5_000 }, () => randomUUID());
    const positions = Array.from({ length: 5_000 }, (_, index) => 1_000_000_000 + index);
    const payload = encodeEntriesNotice(positions, charities);
    expect(decodeEntriesNotice(payload)).toEqual({ first: 1_000_000_000, last: 1_000_004_999, charityIds: null });
    const listed = encodeEntriesNotice(positions.slice(0, MAX_NOTIFIED_CHARITIES), charities.slice(0, MAX_NOTIFIED_CHARITIES));
    expect(decodeEntriesNotice(listed)!.charityIds).toHaveLength(MAX_NOTIFIED_CHARITIES);
    expect(Buffer.byteLength(listed)).toBeLessThan(8000);
  });

  it('ignore payloads they do not understand', () => {
    for (const payload of ['', 'nope', '[]', '{"first":0,"last":3}', '{"first":5,"last":4}', '{"first":"1","last":2}']) {
      expect(decodeEntriesNotice(payload)).toBeNull();
    }
    expect(decodeCheckpointNotice('{"treeSize":12}')).toBe(12);
    expect(decodeCheckpointNotice('{"treeSize":-1}')).toBeNull();
    expect(decodeCheckpointNotice('12')).toBeNull();
  });
});
