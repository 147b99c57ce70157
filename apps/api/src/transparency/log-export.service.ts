import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { treeRootPlan, type MerkleNodeId } from '@charity-ledger/ledger-core';
import { DataSource } from 'typeorm';
import { CharitiesService } from '../charities/charities.service.js';
import { DomainError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { CheckpointsService, type CheckpointRecord } from './checkpoints.service.js';
import { nodeKey, readNodes, type QueryRunnerFunction } from './merkle-tree.store.js';

/** Version of the export layout (docs/ledger-format.md, "Exports"). */
export const EXPORT_FORMAT = 1;
/** Positions read per query: bounded memory whatever the size of the log. */
const PAGE = 1_000;
const PARAMETERS = new Set(['charityId', 'fromPosition']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A validated export request: what to write, up to which signed checkpoint. */
export interface ExportPlan {
  charityId: string | null;
  fromPosition: number;
  checkpoint: CheckpointRecord;
  origin: string;
}

interface EntryRow {
  position: string;
  leaf_hash: string | null;
  charity_id: string | null;
  sequence: string | null;
  hash: string | null;
  prev_hash: string | null;
  canonical_json: string | null;
}

// The bytes come as UTF-8 text and the leaf as hex: half the bytes on the wire, and no Buffer per row.
const EXPORT_COLUMNS = `encode(n.hash, 'hex') AS leaf_hash, e.charity_id, e.sequence, e.hash, e.prev_hash, convert_from(e.canonical_json, 'UTF8') AS canonical_json`;

/**
 * The log as NDJSON, for verifiers that trust nothing the service says
 * (docs/ledger-format.md, "Exports"): a header, one line per position from
 * `fromPosition` up to the latest checkpoint, then that checkpoint.
 *
 * A charity's export holds only that charity's entries; every run of other
 * positions between them is summarized by the stored perfect subtrees that cover
 * it (at most about 2·log2 n hashes per run), which is all a verifier needs to
 * rebuild the root the checkpoint signs, without the other charities' data.
 * Pages are read by position (or by sequence within the charity), a thousand at a
 * time, so memory stays flat whatever the size of the log.
 */
@Injectable()
export class LogExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checkpoints: CheckpointsService,
    private readonly charities: CharitiesService,
    private readonly config: AppConfig,
  ) {}

  /** Checks the query parameters; throws DomainError (BAD_USER_INPUT, NOT_FOUND) before anything is written. */
  async plan(parameters: Record<string, unknown>): Promise<ExportPlan> {
    for (const name of Object.keys(parameters)) {
      if (!PARAMETERS.has(name)) throw DomainError.badInput(name, `is not a parameter of /export (use charityId and fromPosition)`);
    }
    const { charityId, fromPosition } = parameters;
    if (charityId !== undefined && (typeof charityId !== 'string' || !UUID.test(charityId))) {
      throw DomainError.badInput('charityId', 'must be a charity id (a lowercase UUID)');
    }
    if (fromPosition !== undefined && (typeof fromPosition !== 'string' || !/^[1-9][0-9]{0,14}$/.test(fromPosition))) {
      throw DomainError.badInput('fromPosition', 'must be a whole number, 1 or more (positions start at 1)');
    }
    if (typeof charityId === 'string') await this.charities.get(charityId);
    const checkpoint = await this.checkpoints.latest();
    if (!checkpoint) {
      throw DomainError.notFound('No checkpoint has been signed yet, so there is nothing an export could be verified against; the first one follows the first entries.');
    }
    const from = fromPosition === undefined ? 1 : Number(fromPosition);
    if (from > checkpoint.treeSize) {
      throw DomainError.badInput('fromPosition', `the latest checkpoint covers positions 1 to ${checkpoint.treeSize}`);
    }
    return { charityId: typeof charityId === 'string' ? charityId : null, fromPosition: from, checkpoint, origin: this.config.checkpointOrigin };
  }

  /** The export's lines, a page at a time (each chunk ends with a newline). */
  async *lines(plan: ExportPlan): AsyncGenerator<string> {
    const prefixIds = treeRootPlan(plan.fromPosition - 1);
    const prefix = await this.hashes(prefixIds);
    yield line({
      kind: 'header',
      format: EXPORT_FORMAT,
      origin: plan.origin,
      charityId: plan.charityId,
      fromPosition: plan.fromPosition,
      treeSize: plan.checkpoint.treeSize,
      prefix,
    });
    yield* plan.charityId === null ? this.wholeLog(plan) : this.oneCharity(plan, plan.charityId);
    yield line({ kind: 'checkpoint', treeSize: plan.checkpoint.treeSize, note: plan.checkpoint.note });
  }

  // Every position, by leaf: an entry line each, or (if the entry is gone) its leaf alone.
  private async *wholeLog(plan: ExportPlan): AsyncGenerator<string> {
    const end = plan.checkpoint.treeSize;
    for (let start = plan.fromPosition; start <= end; start += PAGE) {
      const last = Math.min(end, start + PAGE - 1);
      const rows = (await this.dataSource.query(
        `SELECT n.node_index + 1 AS position, ${EXPORT_COLUMNS}
           FROM merkle_node n
           LEFT JOIN ledger_entry e ON e.position = n.node_index + 1
          WHERE n.level = 0 AND n.node_index BETWEEN $1 AND $2
          ORDER BY n.node_index`,
        [start - 1, last - 1],
      )) as EntryRow[];
      let chunk = '';
      for (const row of rows) {
        const position = Number(row.position);
        chunk += row.canonical_json === null ? gapLine(position, position, [Buffer.from(row.leaf_hash!, 'hex')]) : entryLine(row);
      }
      yield chunk;
    }
  }

  // The charity's entries in sequence (hence position) order, and the covering subtrees of the gaps.
  private async *oneCharity(plan: ExportPlan, charityId: string): AsyncGenerator<string> {
    const end = plan.checkpoint.treeSize;
    let afterSequence = 0;
    let next = plan.fromPosition; // first position not yet written
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT e.position, ${EXPORT_COLUMNS}
           FROM ledger_entry e
           LEFT JOIN merkle_node n ON n.level = 0 AND n.node_index = e.position - 1
          WHERE e.charity_id = $1 AND e.sequence > $2 AND e.position BETWEEN $3 AND $4
          ORDER BY e.sequence
          LIMIT $5`,
        [charityId, afterSequence, plan.fromPosition, end, PAGE],
      )) as EntryRow[];
      const gaps: Array<[number, number]> = [];
      for (const row of rows) {
        const position = Number(row.position);
        if (position > next) gaps.push([next, position - 1]);
        next = position + 1;
      }
      if (rows.length < PAGE && next <= end) gaps.push([next, end]);
      const covering = new Map<string, Uint8Array>();
      const ids = gaps.flatMap(([from, to]) => coveringSubtrees(from - 1, to));
      for (const [key, hash] of await readNodes(this.query, ids)) covering.set(key, hash);

      let chunk = '';
      let gapIndex = 0;
      const writeGapsBefore = (position: number) => {
        while (gapIndex < gaps.length && gaps[gapIndex][0] < position) {
          const [from, to] = gaps[gapIndex++];
          const hashes = coveringSubtrees(from - 1, to).map((id) => covering.get(nodeKey(id.level, id.index)));
          if (hashes.some((hash) => hash === undefined)) throw new Error(`the stored Merkle tree lacks nodes covering positions ${from} to ${to}`);
          chunk += gapLine(from, to, hashes as Uint8Array[]);
        }
      };
      for (const row of rows) {
        writeGapsBefore(Number(row.position));
        chunk += entryLine(row);
      }
      writeGapsBefore(Number.POSITIVE_INFINITY);
      if (chunk) yield chunk;
      if (rows.length < PAGE) return;
      afterSequence = Number(rows[rows.length - 1].sequence);
    }
  }

  private async hashes(ids: readonly MerkleNodeId[]): Promise<string[]> {
    const found = await readNodes(this.query, ids);
    return ids.map((id) => {
      const hash = found.get(nodeKey(id.level, id.index));
      if (!hash) throw new Error(`the stored Merkle tree has no node (${id.level}, ${id.index})`);
      return Buffer.from(hash).toString('hex');
    });
  }

  private readonly query: QueryRunnerFunction = (sql, params) => this.dataSource.query(sql, params);
}

/**
 * The perfect subtrees that exactly cover leaves [begin, end), left to right: at
 * each step the largest one that starts at `begin` (aligned to its own size) and
 * fits. A verifier appends them to its compact range in this order.
 */
export function coveringSubtrees(begin: number, end: number): MerkleNodeId[] {
  const ids: MerkleNodeId[] = [];
  while (begin < end) {
    let level = 0;
    while (begin % 2 ** (level + 1) === 0 && begin + 2 ** (level + 1) <= end) level += 1;
    ids.push({ level, index: begin / 2 ** level });
    begin += 2 ** level;
  }
  return ids;
}

function line(value: Record<string, unknown>): string {
  return `${JSON.stringify(value)}\n`;
}

function entryLine(row: EntryRow): string {
  return line({
    kind: 'entry',
    position: Number(row.position),
    charityId: row.charity_id,
    sequence: Number(row.sequence),
    hash: row.hash,
    prevHash: row.prev_hash,
    leafHash: row.leaf_hash,
    canonicalJson: row.canonical_json,
  });
}

function gapLine(fromPosition: number, toPosition: number, hashes: Uint8Array[]): string {
  return line({ kind: 'subtrees', fromPosition, toPosition, hashes: hashes.map((hash) => Buffer.from(hash).toString('hex')) });
}
