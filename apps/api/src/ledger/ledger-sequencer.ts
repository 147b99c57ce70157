import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  BooksError,
  GENESIS_PREV_HASH,
  ledgerTimestamp,
  sealEntry,
  type BookEntry,
  type Books,
  type EntryEffects,
} from '@charity-ledger/ledger-core';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { ENTRY_COLUMNS, ENTRY_FROM, recordFromRow, type EntryRow } from './ledger-entry.mapper.js';
import { ChainStates } from './chain-state.js';
import { fromBooksError } from './books-errors.js';
import type {
  AppendCommand,
  AppendedEntry,
  AppendTransaction,
  EntryDecision,
  EntryRequest,
  LedgerEntryRecord,
  LedgerProjector,
} from './ledger.types.js';

/** Arbitrary constant: the transaction-scoped lock every appender takes, in every process. */
export const LEDGER_APPEND_LOCK = 7_302_415_000;
const MAX_ENTRIES_PER_TRANSACTION = 5_000;
const MAX_ATTEMPTS = 8;
/** serialization failure, deadlock, unique violation (a writer outside this process), lock timeout */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '23505', '55P03']);

interface PendingUnit {
  command: AppendCommand;
  resolve: (entries: LedgerEntryRecord[]) => void;
  reject: (error: unknown) => void;
}

interface Head {
  sequence: number;
  hash: string;
}

interface KeyedEntry {
  requestHash: string;
  record: LedgerEntryRecord;
}

interface NewRow extends AppendedEntry {
  idempotencyKey: string;
  requestHash: string;
}

type UnitOutcome =
  | { ok: true; entries: LedgerEntryRecord[]; newRows: NewRow[]; head: Head; keys: Map<string, KeyedEntry> }
  | { ok: false; error: DomainError };

/**
 * Group commit: appends that arrive while a transaction is in flight are
 * coalesced into the next one, so many concurrent single-entry requests share a
 * commit (and its flush to disk) instead of paying one each. Each request is
 * answered only after the commit that holds its entries.
 *
 * A transaction-scoped advisory lock serializes appenders across processes, so
 * chain heads and the global position read under it are current; the database
 * triggers check the result again. Conflicts are retried here, never shown.
 */
export class LedgerSequencer {
  private readonly logger = new Logger(LedgerSequencer.name);
  private queue: PendingUnit[] = [];
  private readonly states = new ChainStates();
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly projectors: () => readonly LedgerProjector[],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  append(command: AppendCommand): Promise<LedgerEntryRecord[]> {
    if (this.closed) {
      return Promise.reject(
        new DomainError(ErrorCode.SERVICE_UNAVAILABLE, 'The service is shutting down; retry with the same idempotencyKey.'),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.kick();
    });
  }

  /** Stops taking appends and waits until everything queued is committed or refused. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
  }

  /** TypeORM's pg pool for the runtime role: the sequencer drives its connection directly. */
  private pool(): pg.Pool {
    return (this.dataSource.driver as unknown as { master: pg.Pool }).master;
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  /**
   * Two transactions overlap: the next batch starts as soon as the current one's
   * COMMIT is on the wire. Its lock request then waits inside PostgreSQL and
   * proceeds the moment the commit lands, instead of after a turn of this
   * process's event loop, which is busy serving the requests themselves.
   */
  private async drain(): Promise<void> {
    let last: Promise<void> = Promise.resolve();
    while (this.queue.length > 0) {
      let commitSent!: () => void;
      const sent = new Promise<void>((resolve) => (commitSent = resolve));
      last = this.commit(this.takeBatch(), commitSent).finally(commitSent);
      await sent;
    }
    await last;
  }

  private takeBatch(): PendingUnit[] {
    const batch: PendingUnit[] = [];
    let entries = 0;
    while (this.queue.length > 0) {
      const size = this.queue[0].command.requests.length;
      if (batch.length > 0 && entries + size > MAX_ENTRIES_PER_TRANSACTION) break;
      batch.push(this.queue.shift()!);
      entries += size;
    }
    return batch;
  }

  private async commit(batch: PendingUnit[], commitSent: () => void = () => undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await this.transaction(batch, commitSent);
        outcomes.forEach((outcome, index) =>
          outcome.ok ? batch[index].resolve(outcome.entries) : batch[index].reject(outcome.error),
        );
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < MAX_ATTEMPTS) {
          await sleep(Math.min(200, 5 * 2 ** attempt) * Math.random());
          continue;
        }
        if (batch.length > 1) {
          // isolate whatever failed so it cannot take the other requests down with it
          commitSent();
          for (const unit of batch) await this.commit([unit]);
          return;
        }
        this.logger.error(`append to charity ${batch[0].command.charityId} failed: ${String(error)}`);
        batch[0].reject(error);
        return;
      }
    }
  }

  private async transaction(batch: PendingUnit[], commitSent: () => void): Promise<UnitOutcome[]> {
    // long replays happen here, without the lock (after a restart, the first append to a charity)
    await this.states.warm(this.pool(), new Set(batch.map((unit) => unit.command.charityId)));
    const client = await this.pool().connect();
    let healthy = true;
    let touched: string[] = [];
    try {
      // Statements are queued without waiting in between: pg sends each as soon as
      // the previous one completes, so a transaction costs two event-loop turns, not nine.
      const charityIds = [...new Set(batch.map((unit) => unit.command.charityId))];
      const keyCharities: string[] = [];
      const idempotencyKeys: string[] = [];
      for (const unit of batch) {
        for (const request of unit.command.requests) {
          keyCharities.push(unit.command.charityId);
          idempotencyKeys.push(request.idempotencyKey);
        }
      }
      const begun = client.query('BEGIN');
      const contextQuery = client.query<{ context: AppendContext }>({
        name: 'ledger-append-context',
        text: 'SELECT ledger_append_context($1, $2, $3, $4) AS context',
        values: [LEDGER_APPEND_LOCK, charityIds, keyCharities, idempotencyKeys],
      });
      const [, contextResult] = await Promise.all([begun, contextQuery]);
      const { context } = contextResult.rows[0];
      const heads = new Map<string, Head>(charityIds.map((id) => [id, { sequence: 0, hash: GENESIS_PREV_HASH }]));
      for (const [charityId, sequence, hash] of context.heads) {
        if (sequence !== null) heads.set(charityId, { sequence: Number(sequence), hash: hash! });
      }
      const known = await readKnownEntries(client, context.known);
      const books = new Map<string, Books>();
      for (const charityId of charityIds) books.set(charityId, await this.states.at(client, charityId, heads.get(charityId)!.sequence));
      touched = charityIds;
      let position = Number(context.lastPosition);
      const recordedAt = this.clock();

      const outcomes: UnitOutcome[] = [];
      const rows: NewRow[] = [];
      for (const unit of batch) {
        const charityId = unit.command.charityId;
        const outcome = applyUnit(unit.command, heads.get(charityId)!, position, known, recordedAt, books.get(charityId)!);
        if (outcome.ok) {
          rows.push(...outcome.newRows);
          position += outcome.newRows.length;
          heads.set(charityId, outcome.head);
          for (const [key, value] of outcome.keys) known.set(key, value);
        }
        outcomes.push(outcome);
      }

      const statements: Array<Promise<unknown>> = [];
      if (rows.length > 0) {
        statements.push(client.query({ name: 'ledger-insert', text: INSERT_ENTRIES, values: insertColumns(rows) }));
        const transaction: AppendTransaction = {
          queue: (sql, params) => void statements.push(client.query({ name: statementName(sql), text: sql, values: params })),
          query: async <Row extends Record<string, unknown>>(sql: string, params?: unknown[]) => {
            // everything queued so far runs first, and its failure is the one to report
            const failure = (await Promise.allSettled(statements)).find((result) => result.status === 'rejected');
            if (failure) throw (failure as PromiseRejectedResult).reason;
            return (await client.query<Row>(sql, params)).rows;
          },
        };
        for (const projector of this.projectors()) await projector.project(transaction, rows);
      }
      // COMMIT after a failed statement ends the transaction as a rollback
      const committed = client.query('COMMIT');
      commitSent();
      const results = await Promise.allSettled([...statements, committed]);
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
      return outcomes;
    } catch (error) {
      // the books may hold entries that were never committed
      this.states.forget(touched);
      healthy = !isConnectionError(error);
      await client.query('ROLLBACK').catch(() => (healthy = false));
      throw error;
    } finally {
      client.release(!healthy);
    }
  }
}

interface AppendContext {
  lastPosition: number | string;
  heads: Array<[string, number | null, string | null]>;
  /** [charityId, idempotencyKey, requestHash, sequence] of keys already used */
  known: Array<[string, string, string, number]>;
}

function keyOf(charityId: string, idempotencyKey: string): string {
  return `${charityId}\u0000${idempotencyKey}`;
}

/**
 * Decides, checks and seals a unit's requests. Every request is planned against
 * the books before any is applied, so a refused unit leaves the books untouched.
 */
function applyUnit(
  command: AppendCommand,
  startHead: Head,
  startPosition: number,
  known: Map<string, KeyedEntry>,
  recordedAt: Date,
  books: Books,
): UnitOutcome {
  const entries: LedgerEntryRecord[] = [];
  const planned: Array<{ request: EntryRequest; decision: EntryDecision; bookEntry: BookEntry; effects: EntryEffects }> = [];
  const keys = new Map<string, KeyedEntry>();
  const pending = new Map<string, number>();
  let sequence = startHead.sequence;
  let current: EntryRequest | undefined;
  try {
    for (const request of command.requests) {
      current = request;
      const key = keyOf(command.charityId, request.idempotencyKey);
      const prior = known.get(key);
      const earlier = pending.get(key);
      if (prior || earlier !== undefined) {
        const priorHash = prior?.requestHash ?? planned[earlier!].request.requestHash;
        if (priorHash !== request.requestHash) {
          const where = prior ? ` (entry ${prior.record.sequence})` : ' (earlier in this request)';
          throw DomainError.conflict(
            `idempotencyKey "${request.idempotencyKey}" was already used for a different request${where}; use a new key for a new request.`,
          );
        }
        entries.push(prior ? prior.record : (undefined as unknown as LedgerEntryRecord));
        continue;
      }
      const decision = request.decide(books);
      sequence += 1;
      const bookEntry: BookEntry = { sequence, type: decision.type, occurredAt: ledgerTimestamp(decision.occurredAt), payload: decision.payload };
      planned.push({ request, decision, bookEntry, effects: books.plan(bookEntry) });
      pending.set(key, planned.length - 1);
      entries.push(undefined as unknown as LedgerEntryRecord);
    }
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    if (error instanceof BooksError) return { ok: false, error: fromBooksError(error, current?.fieldPrefix) };
    throw error;
  }

  let head = startHead;
  let position = startPosition;
  const newRows: NewRow[] = [];
  for (const { request, decision, bookEntry, effects } of planned) {
    const sealed = sealEntry({
      charityId: command.charityId,
      sequence: bookEntry.sequence,
      type: decision.type,
      occurredAt: bookEntry.occurredAt,
      recordedAt: ledgerTimestamp(recordedAt),
      actorKeyId: command.actorKeyId,
      prevHash: head.hash,
      payload: decision.payload,
    });
    books.commit(bookEntry, effects);
    position += 1;
    const record: LedgerEntryRecord = {
      position,
      charityId: command.charityId,
      sequence: sealed.sequence,
      type: decision.type,
      occurredAt: decision.occurredAt,
      recordedAt,
      actorKeyId: command.actorKeyId,
      canonicalJson: sealed.canonicalBytes,
      payload: decision.payload,
      prevHash: sealed.prevHash,
      hash: sealed.hash,
      reversedBy: null,
    };
    newRows.push({ entry: record, sidecar: request.sidecar, effects, books, idempotencyKey: request.idempotencyKey, requestHash: request.requestHash });
    keys.set(keyOf(command.charityId, request.idempotencyKey), { requestHash: request.requestHash, record });
    head = { sequence: sealed.sequence, hash: sealed.hash };
  }
  // retries of requests made earlier in this same command answer with the entry just sealed
  const resolved = command.requests.map((request, index) => entries[index] ?? keys.get(keyOf(command.charityId, request.idempotencyKey))!.record);
  return { ok: true, entries: resolved, newRows, head, keys };
}

/** Full entries behind idempotency keys already used, for replies to retries. */
async function readKnownEntries(client: pg.PoolClient, known: AppendContext['known']): Promise<Map<string, KeyedEntry>> {
  const entries = new Map<string, KeyedEntry>();
  if (known.length === 0) return entries;
  const { rows } = await client.query<EntryRow & { idempotency_key: string; request_hash: string }>(
    `SELECT ${ENTRY_COLUMNS}, e.idempotency_key, e.request_hash FROM ${ENTRY_FROM}
      WHERE (e.charity_id, e.sequence) IN (SELECT * FROM unnest($1::uuid[], $2::bigint[]))`,
    [known.map(([charityId]) => charityId), known.map(([, , , sequence]) => sequence)],
  );
  for (const row of rows) {
    entries.set(keyOf(row.charity_id, row.idempotency_key), { requestHash: row.request_hash, record: { ...recordFromRow(row), replayed: true } });
  }
  return entries;
}

// The bytes travel as UTF-8 text (half the size of hex-encoded bytea) and are stored
// unchanged as bytea; payload is derived from them, so the copy cannot differ.
export const INSERT_ENTRIES = `
  INSERT INTO ledger_entry (position, charity_id, sequence, type, occurred_at, recorded_at, actor_key_id,
                            canonical_json, payload, prev_hash, hash, idempotency_key, request_hash)
  SELECT r.position, r.charity_id, r.sequence, r.type, r.occurred_at, r.recorded_at, r.actor_key_id,
         convert_to(r.canonical_text, 'UTF8'), r.canonical_text::jsonb -> 'payload', r.prev_hash, r.hash,
         r.idempotency_key, r.request_hash
    FROM unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::uuid[],
                $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
      AS r(position, charity_id, sequence, type, occurred_at, recorded_at, actor_key_id,
           canonical_text, prev_hash, hash, idempotency_key, request_hash)
   ORDER BY r.position`;

function insertColumns(rows: NewRow[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 12 }, () => []);
  for (const { entry, idempotencyKey, requestHash } of rows) {
    const values = [
      entry.position,
      entry.charityId,
      entry.sequence,
      entry.type,
      ledgerTimestamp(entry.occurredAt),
      ledgerTimestamp(entry.recordedAt),
      entry.actorKeyId,
      entry.canonicalJson.toString('utf8'),
      entry.prevHash,
      entry.hash,
      idempotencyKey,
      requestHash,
    ];
    values.forEach((value, index) => columns[index].push(value));
  }
  return columns;
}

const statementNames = new Map<string, string>();

/**
 * Projectors send the same few statements in every transaction: naming them makes
 * PostgreSQL parse and plan each once per connection instead of once per append.
 */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `projector-${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  // SQLSTATE class 08 (connection exception) and 57P (operator intervention), or no SQLSTATE at all
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57P');
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
