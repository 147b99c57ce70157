import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { consistencyProofPlan, openCheckpoint, signCheckpoint, verifyConsistency } from '@charity-ledger/ledger-core';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { CheckpointKeysService } from './checkpoint-keys.service.js';
import { CheckpointPublisher } from './checkpoint-publisher.js';
import { MerkleTreeService } from './merkle-tree.service.js';
import type { QueryRunnerFunction } from './merkle-tree.store.js';

/** Arbitrary constant: one checkpointer at a time, across every instance on the database. */
export const CHECKPOINT_LOCK = 7_302_415_100;
/**
 * The PostgreSQL channel on which each new checkpoint is announced (NOTIFY, sent on
 * commit) with `{"treeSize": n}`, so every instance's live feed hears of it.
 */
export const CHECKPOINT_CHANNEL = 'charity_ledger_checkpoints';
/** How often each instance looks whether a checkpoint is due (at most; less for short intervals). */
const MAX_TICK_MS = 5_000;

/** A stored, signed checkpoint. */
export interface CheckpointRecord {
  treeSize: number;
  rootHash: Uint8Array;
  /** The C2SP signed note, exactly as published. */
  note: string;
  /** Verifier key of the key that signed it. */
  verifierKey: string;
  createdAt: Date;
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
  verifier_key: string;
  created_at: Date;
  age_seconds?: number;
}

const CHECKPOINT_COLUMNS = 'tree_size, root_hash, note, verifier_key, created_at';

/** Raised instead of signing when the stored tree no longer extends what was signed before. */
export class InconsistentTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InconsistentTreeError';
  }
}

/**
 * Signs checkpoints of the log (C2SP tlog-checkpoint in a C2SP signed note,
 * Ed25519) once it has grown by CHECKPOINT_EVERY_ENTRIES entries, or when
 * CHECKPOINT_INTERVAL_SECONDS have passed since the last one and it has grown at
 * all; stores them and writes them to the publish directory.
 *
 * Every instance runs the schedule; a transaction-scoped advisory lock lets one
 * sign at a time, and the decision is taken under it from the database (the last
 * checkpoint and its age by the database clock), so instances neither duplicate nor
 * race. Before signing, the new tree is checked to extend the last stored
 * checkpoint (and the last one this process signed) with a consistency proof built
 * from the stored nodes: if someone rewrote the tree, nothing is signed.
 */
@Injectable()
export class CheckpointsService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CheckpointsService.name);
  readonly publisher: CheckpointPublisher;
  private timer: NodeJS.Timeout | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private tickQueued = false;
  private closed = false;
  /** Last checkpoint this process signed: checked too, in case stored ones disappear. */
  private lastSigned: { treeSize: number; rootHash: Uint8Array } | null = null;
  private lastCheckpointSize = 0;
  private lastPublishedSize = 0;
  private publishedKeys = '';
  /** Last failure logged by the schedule, so a lasting one is logged once, not every tick. */
  private lastFailure = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly tree: MerkleTreeService,
    private readonly keys: CheckpointKeysService,
  ) {
    this.publisher = new CheckpointPublisher(path.resolve(config.publishDir ?? path.join(config.dataDir, 'public')));
  }

  onModuleInit(): void {
    this.tree.onGrowth((treeSize) => {
      // N entries since the last checkpoint: look now rather than at the next tick
      if (treeSize - this.lastCheckpointSize >= this.config.checkpointEveryEntries) this.scheduleTick(20);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.lastCheckpointSize = (await this.latest())?.treeSize ?? 0;
    await this.publish().catch((error: unknown) => this.logger.error(`publishing checkpoints failed: ${String(error)}`));
    const interval = Math.min(this.config.checkpointIntervalSeconds * 1000, MAX_TICK_MS);
    this.timer = setInterval(() => this.scheduleTick(0), interval);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.queue;
  }

  /** The latest checkpoint, or null before the first. */
  async latest(): Promise<CheckpointRecord | null> {
    const rows = (await this.dataSource.query(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoint ORDER BY tree_size DESC LIMIT 1`)) as CheckpointRow[];
    return rows.length > 0 ? recordOf(rows[0]) : null;
  }

  /** The checkpoint of exactly this tree size, if one was signed. */
  async bySize(treeSize: number): Promise<CheckpointRecord | null> {
    const rows = (await this.dataSource.query(`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoint WHERE tree_size = $1`, [treeSize])) as CheckpointRow[];
    return rows.length > 0 ? recordOf(rows[0]) : null;
  }

  /** Checkpoints oldest first, larger than `afterSize` and at most `upToSize`. */
  async between(afterSize: number, upToSize: number, limit: number): Promise<CheckpointRecord[]> {
    const rows = (await this.dataSource.query(
      `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoint WHERE tree_size > $1 AND tree_size <= $2 ORDER BY tree_size LIMIT $3`,
      [afterSize, upToSize, limit],
    )) as CheckpointRow[];
    return rows.map(recordOf);
  }

  /** Checkpoints newest first, below the given tree size (exclusive) when one is given. */
  async page(beforeSize: number | null, first: number): Promise<{ checkpoints: CheckpointRecord[]; hasNextPage: boolean; totalCount: number }> {
    const [rows, [{ count }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoint WHERE $1::bigint IS NULL OR tree_size < $1 ORDER BY tree_size DESC LIMIT $2`,
        [beforeSize, first + 1],
      ) as Promise<CheckpointRow[]>,
      this.dataSource.query('SELECT count(*) AS count FROM checkpoint') as Promise<Array<{ count: string }>>,
    ]);
    return { checkpoints: rows.slice(0, first).map(recordOf), hasNextPage: rows.length > first, totalCount: Number(count) };
  }

  /**
   * Signs a checkpoint now if the log has grown since the last one (waiting for any
   * other instance that is signing), and returns the latest checkpoint.
   */
  async checkpointNow(): Promise<CheckpointRecord | null> {
    return this.enqueue(() => this.checkpointIfDue(true));
  }

  private scheduleTick(delayMs: number): void {
    if (this.tickQueued || this.closed) return;
    this.tickQueued = true;
    setTimeout(() => {
      this.tickQueued = false;
      if (this.closed) return;
      void this.enqueue(() => this.checkpointIfDue(false)).then(
        () => (this.lastFailure = ''),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          if (message !== this.lastFailure) this.logger.error(`checkpoint failed: ${message}`);
          this.lastFailure = message;
        },
      );
    }, delayMs).unref();
  }

  // One attempt at a time in this process; across processes the advisory lock decides.
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkpointIfDue(force: boolean): Promise<CheckpointRecord | null> {
    const outcome = await this.dataSource.transaction(async (manager) => {
      const query: QueryRunnerFunction = (sql, params) => manager.query(sql, params);
      if (force) {
        await query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
      } else {
        const [{ locked }] = await query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [CHECKPOINT_LOCK]);
        if (!locked) return null; // another instance is at it
      }
      const [lastRow] = await query<CheckpointRow & Record<string, unknown>>(
        `SELECT ${CHECKPOINT_COLUMNS}, extract(epoch FROM now() - created_at)::float8 AS age_seconds
           FROM checkpoint ORDER BY tree_size DESC LIMIT 1`,
      );
      const last = lastRow ? recordOf(lastRow) : null;
      const size = await this.tree.size(query);
      if (last && size < last.treeSize) {
        throw new InconsistentTreeError(
          `refusing to sign: the Merkle tree has ${size} leaves, fewer than the ${last.treeSize} of the last checkpoint (nodes were removed)`,
        );
      }
      if (size === 0 || (last && size === last.treeSize)) return { record: last, created: false };
      const grown = size - (last?.treeSize ?? 0);
      // before the first checkpoint, the interval runs from the first entry
      const age = last ? Number(lastRow.age_seconds) : await this.firstEntryAge(query);
      const due = force || grown >= this.config.checkpointEveryEntries || age >= this.config.checkpointIntervalSeconds;
      if (!due) return { record: last, created: false };

      const rootHash = await this.tree.root(size, query);
      await this.assertExtends(last, size, rootHash, query);
      const signer = this.keys.signer;
      const note = signCheckpoint({ origin: this.config.checkpointOrigin, size, rootHash }, [signer]);
      const [{ created_at: createdAt }] = await query<{ created_at: Date }>(
        'INSERT INTO checkpoint (tree_size, root_hash, note, verifier_key) VALUES ($1, $2, $3, $4) RETURNING created_at',
        [size, Buffer.from(rootHash), note, signer.verifierKey],
      );
      await query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, JSON.stringify({ treeSize: size })]);
      const record: CheckpointRecord = { treeSize: size, rootHash, note, verifierKey: signer.verifierKey, createdAt };
      return { record, created: true };
    });
    if (outcome === null) return this.latest();
    const { record, created } = outcome;
    if (record) {
      this.lastCheckpointSize = record.treeSize;
      if (created) {
        this.lastSigned = { treeSize: record.treeSize, rootHash: record.rootHash };
        this.logger.log(`signed checkpoint of ${record.treeSize} entries`);
      }
    }
    // the files follow the database: also what other instances signed
    await this.publish(record).catch((error: unknown) => this.logger.error(`publishing checkpoints failed: ${String(error)}`));
    return record;
  }

  /** Seconds since the first entry was recorded (by the database clock); infinite without one. */
  private async firstEntryAge(query: QueryRunnerFunction): Promise<number> {
    const [first] = await query<{ age: number }>(
      'SELECT extract(epoch FROM now() - recorded_at)::float8 AS age FROM ledger_entry ORDER BY position LIMIT 1',
    );
    return first ? Number(first.age) : Number.POSITIVE_INFINITY;
  }

  /**
   * The tree about to be signed must extend every earlier signed tree we know of:
   * the last stored checkpoint (whose signed note must verify with our keys) and
   * the last one this process signed.
   */
  private async assertExtends(last: CheckpointRecord | null, size: number, rootHash: Uint8Array, query: QueryRunnerFunction): Promise<void> {
    const earlier: Array<{ treeSize: number; rootHash: Uint8Array; what: string }> = [];
    if (last) {
      let signed;
      try {
        signed = openCheckpoint(last.note, await this.keys.verifiers(), { origin: this.config.checkpointOrigin }).checkpoint;
      } catch (error) {
        throw new InconsistentTreeError(`refusing to sign: the stored checkpoint of ${last.treeSize} entries does not verify (${String(error)})`);
      }
      if (signed.size !== last.treeSize || Buffer.compare(Buffer.from(signed.rootHash), Buffer.from(last.rootHash)) !== 0) {
        throw new InconsistentTreeError(`refusing to sign: the stored checkpoint of ${last.treeSize} entries disagrees with its signed note`);
      }
      earlier.push({ treeSize: signed.size, rootHash: signed.rootHash, what: 'the last stored checkpoint' });
    }
    if (this.lastSigned) earlier.push({ ...this.lastSigned, what: 'the last checkpoint this instance signed' });
    for (const previous of earlier) {
      if (previous.treeSize > size) {
        throw new InconsistentTreeError(`refusing to sign: the tree has ${size} leaves, fewer than ${previous.what} (${previous.treeSize})`);
      }
      const proof = await this.tree.readProof(consistencyProofPlan(previous.treeSize, size), query);
      try {
        verifyConsistency(previous.treeSize, size, proof, previous.rootHash, rootHash);
      } catch (error) {
        throw new InconsistentTreeError(
          `refusing to sign: the tree of ${size} entries is not consistent with ${previous.what} (${previous.treeSize} entries): ${String(error)}`,
        );
      }
    }
  }

  /**
   * Brings the publish directory up to the database: the key list when it changed,
   * and the checkpoints newer than the last one written (only the latest at start).
   */
  private async publish(known?: CheckpointRecord | null): Promise<void> {
    const keys = (await this.keys.list()).map((key) => key.verifierKey);
    if (keys.join('\n') !== this.publishedKeys) {
      await this.publisher.publishKeys(keys);
      this.publishedKeys = keys.join('\n');
    }
    let newer: CheckpointRecord[];
    if (this.lastPublishedSize === 0) {
      const latest = known === undefined ? await this.latest() : known;
      newer = latest ? [latest] : [];
    } else {
      const rows = (await this.dataSource.query(
        `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoint WHERE tree_size > $1 ORDER BY tree_size LIMIT 1000`,
        [this.lastPublishedSize],
      )) as CheckpointRow[];
      newer = rows.map(recordOf);
    }
    for (const [index, checkpoint] of newer.entries()) {
      await this.publisher.publishCheckpoint(checkpoint.treeSize, checkpoint.note, index === newer.length - 1);
      this.lastPublishedSize = checkpoint.treeSize;
    }
  }
}

function recordOf(row: CheckpointRow): CheckpointRecord {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash,
    note: row.note,
    verifierKey: row.verifier_key,
    createdAt: row.created_at,
  };
}
