import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  assembleProof,
  consistencyProofPlan,
  emptyTreeRoot,
  entryLeafHash,
  inclusionProofPlan,
  planNodeIds,
  treeRootPlan,
  type MerkleProofPlan,
} from '@charity-ledger/ledger-core';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { LEDGER_APPEND_LOCK } from '../ledger/ledger-sequencer.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MerkleTreeProjector } from './merkle-tree.projector.js';
import {
  catchUpTree,
  INSERT_NODES_SQL,
  insertNodesParams,
  nodeKey,
  readNodes,
  storedTreeSize,
  type QueryRunnerFunction,
} from './merkle-tree.store.js';

/** Entries per transaction when the tree catches up with the ledger at start-up. */
const CATCH_UP_CHUNK = 20_000;

/**
 * The log's Merkle tree (RFC 9162 over every entry in position order): keeps it in
 * step with the ledger through a projector, and answers roots and proofs of any
 * past or present size from the stored perfect subtrees, with one read each.
 *
 * Positions are 1-based in the API; RFC 9162 leaf indexes are 0-based:
 * leaf index = position − 1, and the tree of size n holds positions 1 … n.
 */
@Injectable()
export class MerkleTreeService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(MerkleTreeService.name);
  private readonly growthListeners: Array<(treeSize: number) => void> = [];
  /** A size the stored tree is known to have reached (read from the database, so committed). */
  private seenSize = 0;
  private readonly projector = new MerkleTreeProjector((treeSize) => this.growthListeners.forEach((listener) => listener(treeSize)));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.ledger.registerProjector(this.projector);
  }

  /** Before serving: nodes for entries written while no projector ran (e.g. before this feature existed). */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.catchUp();
    } catch (error) {
      // proofs of what the tree holds still work; appends will refuse until this is resolved
      this.logger.error(`the Merkle tree cannot catch up with the ledger: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Called with the tree size after each append batch (before its commit). */
  onGrowth(listener: (treeSize: number) => void): void {
    this.growthListeners.push(listener);
  }

  /** Number of leaves (= entries) in the tree. */
  size(query: QueryRunnerFunction = this.query): Promise<number> {
    return storedTreeSize(query);
  }

  /** RFC 6962 root hash of the tree of the first `size` entries (size ≤ the tree's). */
  async root(size: number, query: QueryRunnerFunction = this.query): Promise<Uint8Array> {
    if (size === 0) return emptyTreeRoot();
    const plan: MerkleProofPlan = [treeRootPlan(size)];
    return (await this.readProof(plan, query))[0];
  }

  /** Inclusion proof of the entry at `position` in the tree of `treeSize` entries, as hashes. */
  async inclusionProof(position: number, treeSize: number): Promise<Uint8Array[]> {
    if (!Number.isSafeInteger(position) || position < 1) {
      throw DomainError.badInput('position', 'must be 1 or more: the first entry of the log has position 1');
    }
    if (!Number.isSafeInteger(treeSize) || treeSize < position) {
      throw DomainError.badInput('treeSize', `must be at least position (${position}): a tree of ${treeSize} entries does not hold position ${position}`);
    }
    return this.proof(inclusionProofPlan(position - 1, treeSize), treeSize, 'treeSize');
  }

  /** Consistency proof from the tree of `fromSize` entries to the tree of `toSize` entries. */
  async consistencyProof(fromSize: number, toSize: number): Promise<Uint8Array[]> {
    if (!Number.isSafeInteger(fromSize) || fromSize < 1) {
      throw DomainError.badInput('fromSize', 'must be 1 or more: every tree extends the empty tree, and RFC 9162 has no proof for it');
    }
    if (!Number.isSafeInteger(toSize) || toSize < fromSize) {
      throw DomainError.badInput('toSize', `must be at least fromSize (${fromSize}): a log never shrinks`);
    }
    return this.proof(consistencyProofPlan(fromSize, toSize), toSize, 'toSize');
  }

  /** Leaf hash of an entry hash: SHA-256(0x00 ‖ the 32 bytes of the hash). */
  leafHash(entryHash: string): Uint8Array {
    return entryLeafHash(entryHash);
  }

  private async proof(plan: MerkleProofPlan, treeSize: number, sizeField: string): Promise<Uint8Array[]> {
    // the tree only grows: a size already seen stored needs no second read to be valid
    if (treeSize <= this.seenSize) {
      const fast = await this.readProof(plan, this.query).catch(() => null);
      if (fast) return fast;
    }
    // otherwise both reads at once: the size decides whether the nodes read can answer
    const [current, proof] = await Promise.allSettled([this.size(), this.readProof(plan, this.query)]);
    if (current.status === 'rejected') throw current.reason;
    this.seenSize = Math.max(this.seenSize, current.value);
    if (treeSize > current.value) {
      throw DomainError.badInput(sizeField, `the log holds ${current.value} entries; ask for a tree size up to that (a checkpoint's size is best)`);
    }
    if (proof.status === 'rejected') throw proof.reason;
    return proof.value;
  }

  /** The hashes of a proof plan (ledger-core's plans), from the stored nodes, in one read. */
  async readProof(plan: MerkleProofPlan, query: QueryRunnerFunction = this.query): Promise<Uint8Array[]> {
    const ids = planNodeIds(plan);
    const found = await readNodes(query, ids);
    return assembleProof(plan, (level, index) => {
      const hash = found.get(nodeKey(level, index));
      if (!hash) throw new Error(`the stored Merkle tree has no node (${level}, ${index})`);
      return hash;
    });
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const remaining = await this.dataSource.transaction(async (manager) => {
        const query: QueryRunnerFunction = (sql, params) => manager.query(sql, params);
        // the appenders' lock: no entry is added while the tree is extended
        await query('SELECT pg_advisory_xact_lock($1)', [LEDGER_APPEND_LOCK]);
        const [{ size }] = await query<{ size: string }>('SELECT coalesce(max(position), 0) AS size FROM ledger_entry');
        const { range, nodes } = await catchUpTree(query, Number(size), CATCH_UP_CHUNK);
        if (nodes.length > 0) {
          await query(INSERT_NODES_SQL, insertNodesParams(nodes));
          this.logger.log(`Merkle tree caught up to ${range.size} of ${size} entries`);
        }
        return Number(size) - range.size;
      });
      if (remaining === 0) return;
    }
  }

  // Reads go straight to the pool as named statements: each connection plans them once,
  // which is most of the cost of a proof's single index lookup.
  private readonly statementNames = new Map<string, string>();
  private readonly query: QueryRunnerFunction = async <Row extends Record<string, unknown>>(sql: string, params?: unknown[]) => {
    let name = this.statementNames.get(sql);
    if (name === undefined) {
      name = `merkle-tree-${this.statementNames.size + 1}`;
      this.statementNames.set(sql, name);
    }
    const pool = (this.dataSource.driver as unknown as { master: pg.Pool }).master;
    return (await pool.query<Row>({ name, text: sql, values: params })).rows;
  };
}
