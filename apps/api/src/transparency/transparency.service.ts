import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { ENTRY_COLUMNS, ENTRY_FROM, recordFromRow, type EntryRow } from '../ledger/ledger-entry.mapper.js';
import type { LedgerEntryRecord } from '../ledger/ledger.types.js';
import { CheckpointKeysService, type PublishedKey } from './checkpoint-keys.service.js';
import { CheckpointsService, InconsistentTreeError, type CheckpointRecord } from './checkpoints.service.js';
import { MerkleTreeService } from './merkle-tree.service.js';

/** What the GraphQL and HTTP surfaces of the transparency log ask for. */
@Injectable()
export class TransparencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tree: MerkleTreeService,
    private readonly checkpointsService: CheckpointsService,
    private readonly checkpointKeys: CheckpointKeysService,
  ) {}

  inclusionProof(position: number, treeSize: number): Promise<Uint8Array[]> {
    return this.tree.inclusionProof(position, treeSize);
  }

  consistencyProof(fromSize: number, toSize: number): Promise<Uint8Array[]> {
    return this.tree.consistencyProof(fromSize, toSize);
  }

  leafHash(entryHash: string): Uint8Array {
    return this.tree.leafHash(entryHash);
  }

  async entryAt(position: number): Promise<LedgerEntryRecord> {
    if (!Number.isSafeInteger(position) || position < 1) {
      throw DomainError.badInput('position', 'must be 1 or more: the first entry of the log has position 1');
    }
    const rows = (await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.position = $1`, [position])) as EntryRow[];
    if (rows.length === 0) throw DomainError.notFound(`The log has no entry at position ${position}.`);
    return recordFromRow(rows[0]);
  }

  latestCheckpoint(): Promise<CheckpointRecord | null> {
    return this.checkpointsService.latest();
  }

  checkpointBySize(treeSize: number): Promise<CheckpointRecord | null> {
    return this.checkpointsService.bySize(treeSize);
  }

  checkpoints(beforeSize: number | null, first: number): Promise<{ checkpoints: CheckpointRecord[]; hasNextPage: boolean; totalCount: number }> {
    return this.checkpointsService.page(beforeSize, first);
  }

  keys(): Promise<PublishedKey[]> {
    return this.checkpointKeys.list();
  }

  async checkpointNow(): Promise<CheckpointRecord | null> {
    try {
      return await this.checkpointsService.checkpointNow();
    } catch (error) {
      // the operator asked: tell them why nothing was signed (it is their own log's state)
      if (error instanceof InconsistentTreeError) throw DomainError.conflict(error.message);
      throw error;
    }
  }
}
