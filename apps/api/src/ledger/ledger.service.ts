import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChainVerifier, ledgerTimestamp, type ChainVerification } from '@charity-ledger/ledger-core';
import { DataSource } from 'typeorm';
import { ENTRY_COLUMNS, ENTRY_FROM, recordFromRow, type EntryRow } from './ledger-entry.mapper.js';
import { LedgerSequencer } from './ledger-sequencer.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { CharitiesService } from '../charities/charities.service.js';
import type { CharityEntity } from '../charities/charity.entity.js';
import { DomainError } from '../common/domain-error.js';
import type { AppendCommand, EntryRequest, LedgerEntryRecord, LedgerProjector } from './ledger.types.js';

const VERIFY_PAGE = 1_000;

export interface EntryPage {
  entries: LedgerEntryRecord[];
  hasNextPage: boolean;
}

/** The only writer of ledger tables. Feature modules hand it drafts; it chains and stores them. */
@Injectable()
export class LedgerService implements BeforeApplicationShutdown {
  private readonly projectors: LedgerProjector[] = [];
  private readonly sequencer: LedgerSequencer;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly charities: CharitiesService,
  ) {
    this.sequencer = new LedgerSequencer(dataSource, () => this.projectors);
  }

  /** Read models register here; they run inside every append transaction. */
  registerProjector(projector: LedgerProjector): void {
    this.projectors.push(projector);
  }

  /** Appends all requests of the command, or none; retried requests get their original entries. */
  append(command: AppendCommand): Promise<LedgerEntryRecord[]> {
    return this.sequencer.append(command);
  }

  /**
   * Appends for the calling key: only a CHARITY key, and only to its own charity's
   * chain. Returns the charity too, for callers that need its name or currency.
   */
  async appendAs(actor: Actor, charityId: string, requests: (charity: CharityEntity) => EntryRequest[]): Promise<LedgerEntryRecord[]> {
    const charity = await this.writableCharity(actor, charityId);
    return this.append({ charityId, actorKeyId: actor.keyId!, requests: requests(charity) });
  }

  /** The charity whose chain this key may write, or FORBIDDEN. */
  async writableCharity(actor: Actor, charityId: string): Promise<CharityEntity> {
    if (actor.role !== Role.CHARITY || actor.charityId !== charityId) {
      throw DomainError.forbidden(`This key may not write to the ledger of charity ${charityId}; a CHARITY key writes only its own.`);
    }
    return this.charities.get(charityId);
  }

  // before the pool closes: queued appends still commit and are answered
  async beforeApplicationShutdown(): Promise<void> {
    await this.sequencer.close();
  }

  /** Entries of one chain in sequence order, after the given sequence. */
  async page(charityId: string, afterSequence: number, first: number): Promise<EntryPage> {
    const rows = (await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.charity_id = $1 AND e.sequence > $2 ORDER BY e.sequence LIMIT $3`,
      [charityId, afterSequence, first + 1],
    )) as EntryRow[];
    return { entries: rows.slice(0, first).map(recordFromRow), hasNextPage: rows.length > first };
  }

  async entry(charityId: string, sequence: number): Promise<LedgerEntryRecord | null> {
    const rows = (await this.dataSource.query(`SELECT ${ENTRY_COLUMNS} FROM ${ENTRY_FROM} WHERE e.charity_id = $1 AND e.sequence = $2`, [
      charityId,
      sequence,
    ])) as EntryRow[];
    return rows.length > 0 ? recordFromRow(rows[0]) : null;
  }

  async chainLength(charityId: string): Promise<number> {
    const [{ length }] = (await this.dataSource.query(
      'SELECT coalesce(max(sequence), 0) AS length FROM ledger_entry WHERE charity_id = $1',
      [charityId],
    )) as Array<{ length: string }>;
    return Number(length);
  }

  /**
   * Recomputes every hash of the chain from the stored bytes and checks every link
   * and every queryable column against them, one page at a time.
   */
  async verifyChain(charityId: string): Promise<ChainVerification> {
    const verifier = new ChainVerifier(charityId);
    let after = 0;
    for (;;) {
      const { entries, hasNextPage } = await this.page(charityId, after, VERIFY_PAGE);
      for (const entry of entries) {
        const broken = verifier.push({
          sequence: entry.sequence,
          canonicalBytes: entry.canonicalJson,
          hash: entry.hash,
          prevHash: entry.prevHash,
          type: entry.type,
          occurredAt: ledgerTimestamp(entry.occurredAt),
          recordedAt: ledgerTimestamp(entry.recordedAt),
          actorKeyId: entry.actorKeyId,
          payload: entry.payload,
        });
        if (broken) return verifier.result();
      }
      if (!hasNextPage || entries.length === 0) return verifier.result();
      after = entries[entries.length - 1].sequence;
    }
  }
}
