import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CharitiesService, isUuid } from '../charities/charities.service.js';
import type { CharityEntity } from '../charities/charity.entity.js';
import { DomainError } from '../common/domain-error.js';
import { IatiActivities, type IatiEntry } from './iati-activities.js';

/** Entries read per query: the chain is read a page at a time. */
const PAGE = 1_000;

interface EntryRow {
  sequence: string;
  type: string;
  occurred_at: Date;
  recorded_at: Date;
  payload: Record<string, unknown>;
  reversed_by: string | null;
}

/**
 * The IATI 2.03 activity file of one charity (docs/iati.md), built from its chain
 * as it stands when the request arrives: entries up to the chain's head then, and
 * only reversals among them, so that a page read later cannot see half a correction.
 */
@Injectable()
export class IatiService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly charities: CharitiesService,
  ) {}

  /** The charity, or BAD_USER_INPUT / NOT_FOUND before anything is sent. */
  async charity(charityId: string): Promise<CharityEntity> {
    if (!isUuid(charityId)) throw DomainError.badInput('charityId', 'must be a charity id (a UUID), as in /iati/<charity id>.xml');
    return this.charities.get(charityId.toLowerCase());
  }

  /**
   * The document in chunks of text. The chain is read first (a page at a time); the
   * XML is then written activity by activity. `baseUrl` is the service's address, for links.
   */
  async *document(charity: CharityEntity, now: Date, baseUrl: string): AsyncGenerator<string> {
    const activities = new IatiActivities({
      id: charity.id,
      name: charity.name,
      creditCode: charity.creditCode,
      kind: charity.kind,
      currency: charity.currency,
      registeredAt: charity.registeredAt,
    });
    const [{ head }] = (await this.dataSource.query('SELECT coalesce(max(sequence), 0) AS head FROM ledger_entry WHERE charity_id = $1', [charity.id])) as Array<{
      head: string;
    }>;
    for (let after = 0; after < Number(head); ) {
      const rows = (await this.dataSource.query(
        `SELECT e.sequence, e.type, e.occurred_at, e.recorded_at, e.payload, r.reversal_sequence AS reversed_by
           FROM ledger_entry e
           LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence AND r.reversal_sequence <= $3
          WHERE e.charity_id = $1 AND e.sequence > $2 AND e.sequence <= $3
          ORDER BY e.sequence LIMIT ${PAGE}`,
        [charity.id, after, head],
      )) as EntryRow[];
      if (rows.length === 0) break;
      for (const row of rows) activities.add(toEntry(row));
      after = Number(rows[rows.length - 1].sequence);
    }
    const hashes = activities.mediaHashes();
    const types =
      hashes.length === 0
        ? []
        : ((await this.dataSource.query('SELECT sha256, content_type FROM media_object WHERE sha256 = ANY($1::text[])', [hashes])) as Array<{ sha256: string; content_type: string }>);
    yield* activities.render(now, baseUrl, new Map(types.map((row) => [row.sha256, row.content_type])));
  }
}

function toEntry(row: EntryRow): IatiEntry {
  return {
    sequence: Number(row.sequence),
    type: row.type,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    payload: row.payload,
    reversedBy: row.reversed_by === null ? null : Number(row.reversed_by),
  };
}
