import { randomUUID } from 'node:crypto';
import {
  CompactRange,
  GENESIS_PREV_HASH,
  entryLeafHash,
  generateNoteKeyPair,
  parseSignerKey,
  parseVerifierKey,
  sealEntry,
  sha256Hex,
  signCheckpoint,
  treeRootPlan,
  type NoteSigner,
} from '@charity-ledger/ledger-core';
import { ExportVerifier, type TrustedCheckpoint } from './export-verifier.js';
import { coveringSubtrees } from './merkle-root-builder.js';
import { FailureCode } from './verification.js';

const ORIGIN = 'test.example/log';
const keys = generateNoteKeyPair(ORIGIN);
const signer: NoteSigner = parseSignerKey(keys.signerKey);
const trusted = [parseVerifierKey(keys.verifierKey)];

interface LoggedEntry {
  position: number;
  charityId: string;
  sequence: number;
  hash: string;
  prevHash: string;
  canonicalJson: string;
}

/** A log built as the service builds it: chained entries, the tree's stored nodes, and roots by size. */
function buildLog(charities: string[], count: number, breakLinkAt?: number, amountFactor = 100) {
  const heads = new Map<string, { sequence: number; hash: string }>();
  const range = CompactRange.empty();
  const nodes = new Map<string, Buffer>();
  const entries: LoggedEntry[] = [];
  const roots: Buffer[] = [range.root() as Buffer];
  for (let position = 1; position <= count; position++) {
    const charityId = charities[(position * 7) % charities.length];
    const head = heads.get(charityId) ?? { sequence: 0, hash: GENESIS_PREV_HASH };
    const sealed = sealEntry({
      charityId,
      sequence: head.sequence + 1,
      type: 'CASH_DONATION',
      occurredAt: '2026-11-01T09:30:00.000Z',
      recordedAt: '2026-11-02T10:00:00.000Z',
      actorKeyId: '5374f824-6302-4dbe-a005-4858125c8fad',
      prevHash: position === breakLinkAt ? 'f'.repeat(64) : head.hash,
      payload: { amount: { currency: 'CNY', minorUnits: position * amountFactor } },
    });
    heads.set(charityId, { sequence: sealed.sequence, hash: sealed.hash });
    entries.push({ position, charityId, sequence: sealed.sequence, hash: sealed.hash, prevHash: sealed.prevHash, canonicalJson: sealed.canonicalBytes.toString('utf8') });
    for (const node of range.append(entryLeafHash(sealed.hash))) nodes.set(`${node.level}:${node.index}`, Buffer.from(node.hash));
    roots.push(Buffer.from(range.root()));
  }
  return { entries, nodes, roots };
}

type Log = ReturnType<typeof buildLog>;

/** The export the service would write (docs/ledger-format.md, "Exports"). */
function exportOf(log: Log, options: { charityId?: string; fromPosition?: number; treeSize?: number } = {}): string[] {
  const from = options.fromPosition ?? 1;
  const size = options.treeSize ?? log.entries.length;
  const hex = (level: number, index: number) => log.nodes.get(`${level}:${index}`)!.toString('hex');
  const lines = [
    JSON.stringify({
      kind: 'header',
      format: 1,
      origin: ORIGIN,
      charityId: options.charityId ?? null,
      fromPosition: from,
      treeSize: size,
      prefix: treeRootPlan(from - 1).map((id) => hex(id.level, id.index)),
    }),
  ];
  let gapStart: number | null = null;
  const closeGap = (end: number) => {
    if (gapStart === null) return;
    lines.push(JSON.stringify({ kind: 'subtrees', fromPosition: gapStart, toPosition: end, hashes: coveringSubtrees(gapStart - 1, end).map((id) => hex(id.level, id.index)) }));
    gapStart = null;
  };
  for (const entry of log.entries.slice(from - 1, size)) {
    if (options.charityId && entry.charityId !== options.charityId) {
      gapStart ??= entry.position;
      continue;
    }
    closeGap(entry.position - 1);
    lines.push(JSON.stringify({ kind: 'entry', ...entry, leafHash: hex(0, entry.position - 1), canonicalJson: entry.canonicalJson }));
  }
  closeGap(size);
  lines.push(JSON.stringify({ kind: 'checkpoint', treeSize: size, note: signCheckpoint({ origin: ORIGIN, size, rootHash: log.roots[size] }, [signer]) }));
  return lines;
}

function verify(lines: string[], trustedCheckpoints: TrustedCheckpoint[] = [], verifiers = trusted) {
  const verifier = new ExportVerifier({ verifiers, trustedCheckpoints });
  for (const line of lines) if (verifier.push(line)) break;
  return verifier.finish();
}

/** Replaces the entry line at `position` with a changed copy. */
function withEntry(lines: string[], position: number, change: (entry: Record<string, unknown>) => void): string[] {
  return lines.map((line) => {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (value.kind !== 'entry' || value.position !== position) return line;
    change(value);
    return JSON.stringify(value);
  });
}

const charities = [randomUUID(), randomUUID(), randomUUID()];
const log = buildLog(charities, 100);

describe('ExportVerifier', () => {
  it('given an untouched export of the whole log, when verified, then it passes with its root and signer', () => {
    const result = verify(exportOf(log));
    expect(result).toMatchObject({ summary: { entries: 100, charities: 3, treeSize: 100, rootHash: log.roots[100].toString('hex'), signedBy: [keys.verifierKey] } });
  });

  it("given a charity's export from a later position, when verified, then the summarized positions rebuild the same root", () => {
    const result = verify(exportOf(log, { charityId: charities[1], fromPosition: 37 }));
    expect('summary' in result && result.summary).toMatchObject({ charityId: charities[1], fromPosition: 37, rootHash: log.roots[100].toString('hex') });
    const summary = (result as { summary: { entries: number; summarizedPositions: number } }).summary;
    expect(summary.entries + summary.summarizedPositions).toBe(64);
    expect(summary.entries).toBeGreaterThan(10);
  });

  it('given changed bytes with the old hash, when verified, then the position and the hash mismatch are named', () => {
    const lines = withEntry(exportOf(log), 42, (entry) => (entry.canonicalJson = (entry.canonicalJson as string).replace('"minorUnits":4200', '"minorUnits":9900')));
    expect(verify(lines)).toEqual({ failure: expect.objectContaining({ code: FailureCode.HASH_MISMATCH, position: 42 }) });
  });

  it("given changed bytes with a recomputed hash, when verified, then the tree's leaf for the position gives it away", () => {
    const lines = withEntry(exportOf(log), 42, (entry) => {
      entry.canonicalJson = (entry.canonicalJson as string).replace('"minorUnits":4200', '"minorUnits":9900');
      entry.hash = sha256Hex(entry.canonicalJson as string);
    });
    expect(verify(lines)).toEqual({ failure: expect.objectContaining({ code: FailureCode.LEAF_MISMATCH, position: 42 }) });
  });

  it('given changed bytes of a chain head whose leaf was rewritten too, when verified, then the root differs from the signed one', () => {
    const lines = withEntry(exportOf(log), 100, (entry) => {
      entry.canonicalJson = (entry.canonicalJson as string).replace('"minorUnits":10000', '"minorUnits":99900');
      entry.hash = sha256Hex(entry.canonicalJson as string);
      entry.leafHash = null;
    });
    expect(verify(lines)).toEqual({ failure: expect.objectContaining({ code: FailureCode.ROOT_MISMATCH, position: null }) });
  });

  it('given a log whose entry does not link to its predecessor, when verified, then the chain break is named', () => {
    const broken = buildLog(charities, 30, 17);
    expect(verify(exportOf(broken))).toEqual({ failure: expect.objectContaining({ code: FailureCode.CHAIN_BROKEN, position: 17 }) });
  });

  it('given a missing line, when verified, then the missing position is named', () => {
    const lines = exportOf(log).filter((line) => !line.includes('"position":58,'));
    expect(verify(lines)).toEqual({ failure: expect.objectContaining({ code: FailureCode.MISSING_POSITIONS, position: 58 }) });
  });

  it('given a whole-log export that summarizes positions, when verified, then their missing entries are named', () => {
    const charityExport = exportOf(log, { charityId: charities[0] });
    const header = JSON.parse(charityExport[0]) as Record<string, unknown>;
    const lines = [JSON.stringify({ ...header, charityId: null }), ...charityExport.slice(1)];
    const first = log.entries.find((entry) => entry.charityId !== charities[0])!.position;
    expect(verify(lines)).toEqual({ failure: expect.objectContaining({ code: FailureCode.MISSING_POSITIONS, position: first }) });
  });

  it('given an export cut before its checkpoint, when verified, then it is reported as truncated', () => {
    expect(verify(exportOf(log).slice(0, 60))).toEqual({ failure: expect.objectContaining({ code: FailureCode.TRUNCATED, position: 60 }) });
  });

  it('given a checkpoint signed by another key, when verified, then it is not trusted', () => {
    const other = parseVerifierKey(generateNoteKeyPair(ORIGIN).verifierKey);
    expect(verify(exportOf(log), [], [other])).toEqual({ failure: expect.objectContaining({ code: FailureCode.BAD_CHECKPOINT }) });
  });

  it('given a checkpoint you trust inside the export, when its root matches, then it is reported as matched', () => {
    const result = verify(exportOf(log), [{ treeSize: 64, rootHash: log.roots[64], source: 'test' }]);
    expect('summary' in result && result.summary.matchedCheckpoints).toEqual([64]);
  });

  it('given a checkpoint you trust with another root at that size, when verified, then history was rewritten', () => {
    const rewritten = buildLog(charities, 100, undefined, 101);
    expect(verify(exportOf(rewritten), [{ treeSize: 64, rootHash: log.roots[64], source: 'test' }])).toEqual({
      failure: expect.objectContaining({ code: FailureCode.INCONSISTENT }),
    });
  });

  it('given a checkpoint you trust that is larger than the export, when verified, then the log was cut back', () => {
    expect(verify(exportOf(log, { treeSize: 80 }), [{ treeSize: 90, rootHash: log.roots[90], source: 'test' }])).toEqual({
      failure: expect.objectContaining({ code: FailureCode.ROLLBACK }),
    });
  });

  it('given a line of an unknown kind or a foreign format, when verified, then the layout is refused', () => {
    const lines = exportOf(log);
    expect(verify([lines[0], '{"kind":"surprise"}'])).toEqual({ failure: expect.objectContaining({ code: FailureCode.BAD_FORMAT, position: 1 }) });
    expect(verify([lines[0].replace('"format":1', '"format":2')])).toEqual({ failure: expect.objectContaining({ code: FailureCode.BAD_FORMAT }) });
  });
});
