/**
 * `npm run bench:append`: how fast the real service appends donations to the
 * hash-chained ledger over GraphQL, on a fresh database of the given PostgreSQL.
 *
 *   1. single-entry recordDonation, 16 concurrent clients over 4 charities
 *   2. the same, all 16 clients on one charity
 *   3. recordDonations batches of 1,000, against a raw multi-row INSERT of the
 *      same rows into an unchained table (no triggers, no chain, no service)
 *
 * Missed targets are reported, not failed: the exit code is non-zero only when
 * something went wrong (a failed request, a broken chain, a crash).
 * Options: --seconds N (measured seconds per phase, default 10), --keep (keep the database).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { cpuUse, procAvailable, snapshot, type CpuSnapshot, type CpuUse } from './support/cpu.js';
import { BenchSession, runBench } from './support/bench-session.js';
import type { GraphQLClient } from './support/graphql-client.js';
import {
  donationInput,
  RECORD_DONATION,
  RECORD_DONATIONS,
  registerCharity,
  verifyChain,
  type BenchCharity,
  type EntryReceipt,
} from './support/ledger-api.js';
import { cpuLine } from './support/report.js';
import { ascending, formatMs, formatNumber, percentile, table } from './support/stats.js';

const CLIENTS = 16;
const SPREAD_CHARITIES = 4;
const BATCH_SIZE = 1_000;
const WARMUP_MS = 2_000;

const TARGETS = {
  spreadPerSecond: 1_500,
  singleCharityPerSecond: 1_000,
  p99Ms: 50,
  batchRatio: 0.5,
};

const ENTRY_COLUMNS = [
  'position',
  'charity_id',
  'sequence',
  'type',
  'occurred_at',
  'recorded_at',
  'actor_key_id',
  'canonical_json',
  'payload',
  'prev_hash',
  'hash',
  'idempotency_key',
  'request_hash',
] as const;

interface Options {
  seconds: number;
  keep: boolean;
}

/** Entries the service acknowledged, per charity: what every chain must hold at the end. */
class Acknowledged {
  private readonly counts = new Map<string, number>();
  private readonly heads = new Map<string, EntryReceipt>();

  add(charityId: string, receipts: readonly EntryReceipt[]): void {
    this.counts.set(charityId, (this.counts.get(charityId) ?? 0) + receipts.length);
    for (const receipt of receipts) {
      const head = this.heads.get(charityId);
      if (!head || receipt.sequence > head.sequence) this.heads.set(charityId, receipt);
    }
  }

  count(charityId: string): number {
    return this.counts.get(charityId) ?? 0;
  }

  head(charityId: string): EntryReceipt | undefined {
    return this.heads.get(charityId);
  }
}

interface LoadResult {
  label: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  cpu?: CpuUse;
  windowStart: Date;
  windowEnd: Date;
  charityIds: string[];
}

interface BatchResult {
  batches: number;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  p50: number;
  max: number;
  firstSequence: number;
  lastSequence: number;
  cpu?: CpuUse;
}

interface RawResult {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

interface CommitSizes {
  commits: number;
  entries: number;
  mean: number;
  p50: number;
  max: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { seconds: 10, keep: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--keep') options.keep = true;
    else if (argument === '--seconds' || argument.startsWith('--seconds=')) {
      const raw = argument.includes('=') ? argument.slice('--seconds='.length) : argv[++index];
      const seconds = Number(raw);
      if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds needs a positive number of seconds, got "${raw}"`);
      options.seconds = seconds;
    } else if (argument === '--help' || argument === '-h') {
      console.log('usage: npm run bench:append -- [--seconds N] [--keep]');
      process.exit(0);
    } else {
      throw new Error(`unknown argument "${argument}" (usage: npm run bench:append -- [--seconds N] [--keep])`);
    }
  }
  return options;
}



const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const runTag = randomBytes(4).toString('hex');
// a fixed moment in the recent past: every gift of the run is valid whatever the clock does meanwhile
const receivedAt = new Date(Date.now() - 3_600_000).toISOString();

/**
 * 16 workers, each sending single-entry recordDonation back-to-back for the
 * warm-up and then the measured window. A request counts when it completes
 * inside the window; requests still in flight at its end are not counted.
 */
async function runSingleEntryLoad(
  label: string,
  client: GraphQLClient,
  workers: readonly BenchCharity[],
  options: Options,
  acknowledged: Acknowledged,
  sample: () => Promise<CpuSnapshot | undefined>,
): Promise<LoadResult> {
  const measureMs = options.seconds * 1_000;
  const start = nowMs();
  const measureStart = start + WARMUP_MS;
  const measureEnd = measureStart + measureMs;
  const latencies: number[] = [];
  let failed = false;
  let windowStart = new Date();
  let windowEnd = new Date();

  const cpuStart = new Promise<CpuSnapshot | undefined>((resolve, reject) =>
    setTimeout(() => {
      windowStart = new Date();
      sample().then(resolve, reject);
    }, WARMUP_MS),
  );
  const cpuEnd = new Promise<CpuSnapshot | undefined>((resolve, reject) =>
    setTimeout(() => {
      windowEnd = new Date();
      sample().then(resolve, reject);
    }, WARMUP_MS + measureMs),
  );
  // if a request fails first, nobody awaits these: keep a late failure from crashing the report
  cpuStart.catch(() => undefined);
  cpuEnd.catch(() => undefined);

  const worker = async (charity: BenchCharity, index: number) => {
    for (let n = 1; !failed && nowMs() < measureEnd; n++) {
      const input = donationInput(charity.id, `bench-${runTag}-${label}-w${index}-${n}`, receivedAt, (n % 99_999) + 1);
      try {
        const { data, latencyMs } = await client.request<{ recordDonation: EntryReceipt }>(
          'recordDonation',
          RECORD_DONATION,
          { input },
          charity.apiKey,
        );
        acknowledged.add(charity.id, [data.recordDonation]);
        const end = nowMs();
        if (end >= measureStart && end <= measureEnd) latencies.push(latencyMs);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // on a failure the other workers stop after their request in flight, so the
  // service is not shut down under them (which would add errors of its own)
  const outcomes = await Promise.allSettled(workers.map((charity, index) => worker(charity, index)));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  const cpu = cpuUse(await cpuStart, await cpuEnd);

  const sorted = ascending(latencies);
  return {
    label,
    requests: sorted.length,
    seconds: options.seconds,
    perSecond: sorted.length / options.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    cpu,
    windowStart,
    windowEnd,
    charityIds: [...new Set(workers.map((charity) => charity.id))],
  };
}

/** One client sending recordDonations batches of 1,000 back-to-back, like a bulk import. */
async function runBatches(
  client: GraphQLClient,
  charity: BenchCharity,
  options: Options,
  acknowledged: Acknowledged,
  sample: () => Promise<CpuSnapshot | undefined>,
): Promise<BatchResult> {
  let n = 0;
  const sendBatch = async () => {
    n += 1;
    const inputs = Array.from({ length: BATCH_SIZE }, (_, index) =>
      donationInput(charity.id, `bench-${runTag}-batch-${n}-${index}`, receivedAt, ((n * BATCH_SIZE + index) % 99_999) + 1),
    );
    const { data, latencyMs } = await client.request<{ recordDonations: EntryReceipt[] }>(
      'recordDonations',
      RECORD_DONATIONS,
      { inputs },
      charity.apiKey,
    );
    if (data.recordDonations.length !== BATCH_SIZE) {
      throw new Error(`recordDonations answered ${data.recordDonations.length} entries for ${BATCH_SIZE} donations`);
    }
    acknowledged.add(charity.id, data.recordDonations);
    return { receipts: data.recordDonations, latencyMs };
  };

  const warmupEnd = nowMs() + WARMUP_MS;
  do await sendBatch();
  while (nowMs() < warmupEnd);

  const cpuStart = await sample();
  const start = nowMs();
  const end = start + options.seconds * 1_000;
  const latencies: number[] = [];
  let firstSequence = Number.POSITIVE_INFINITY;
  let lastSequence = 0;
  do {
    const { receipts, latencyMs } = await sendBatch();
    latencies.push(latencyMs);
    for (const receipt of receipts) {
      firstSequence = Math.min(firstSequence, receipt.sequence);
      lastSequence = Math.max(lastSequence, receipt.sequence);
    }
  } while (nowMs() < end);
  const seconds = (nowMs() - start) / 1_000;
  const cpu = cpuUse(cpuStart, await sample());

  const sorted = ascending(latencies);
  const rows = latencies.length * BATCH_SIZE;
  return {
    batches: latencies.length,
    rows,
    seconds,
    rowsPerSecond: rows / seconds,
    p50: percentile(sorted, 50),
    max: sorted.at(-1) ?? Number.NaN,
    firstSequence,
    lastSequence,
    cpu,
  };
}

/**
 * Copies the rows the measured batches produced (same values, same bytes) into a
 * plain table, 1,000 rows per multi-row INSERT, one transaction each, on one
 * connection: the floor of what storing those rows costs without the chain.
 */
async function runRawInsert(database: pg.Client, table: string, rows: readonly unknown[][]): Promise<RawResult> {
  const statements = new Map<number, string>();
  const statement = (count: number) => {
    let text = statements.get(count);
    if (!text) {
      const tuples = Array.from(
        { length: count },
        (_, row) => `(${ENTRY_COLUMNS.map((__, column) => `$${row * ENTRY_COLUMNS.length + column + 1}`).join(',')})`,
      );
      text = `INSERT INTO ${table} (${ENTRY_COLUMNS.join(', ')}) VALUES ${tuples.join(',')}`;
      statements.set(count, text);
    }
    return text;
  };
  const chunks: unknown[][] = [];
  for (let offset = 0; offset < rows.length; offset += BATCH_SIZE) {
    const chunk = rows.slice(offset, offset + BATCH_SIZE);
    chunks.push(chunk.flat());
  }

  // warm up the connection, the plan cache and the table's pages, then start empty
  await database.query(statement(chunks[0].length / ENTRY_COLUMNS.length), chunks[0]);
  await database.query(`TRUNCATE ${table}`);

  const start = nowMs();
  for (const parameters of chunks) await database.query(statement(parameters.length / ENTRY_COLUMNS.length), parameters);
  const seconds = (nowMs() - start) / 1_000;

  const [{ count }] = (await database.query(`SELECT count(*)::int AS count FROM ${table}`)).rows as Array<{ count: number }>;
  if (count !== rows.length) throw new Error(`raw INSERT into ${table} stored ${count} rows, expected ${rows.length}`);
  return { rows: rows.length, seconds, rowsPerSecond: rows.length / seconds };
}

/** Rows per committed transaction: rows written by one transaction share its xmin. */
async function commitSizes(database: pg.Client, charityIds: string[], from: Date, to: Date): Promise<CommitSizes> {
  const { rows } = await database.query(
    `SELECT count(*)::int AS commits, coalesce(sum(n), 0)::int AS entries, coalesce(avg(n), 0)::float AS mean,
            coalesce(percentile_disc(0.5) WITHIN GROUP (ORDER BY n), 0)::int AS p50, coalesce(max(n), 0)::int AS max
       FROM (SELECT count(*) AS n FROM ledger_entry
              WHERE charity_id = ANY($1::uuid[]) AND recorded_at >= $2 AND recorded_at <= $3
              GROUP BY xmin::text) per_commit`,
    [charityIds, from, to],
  );
  return rows[0] as CommitSizes;
}

/**
 * Index entries PostgreSQL read on ledger_entry so far, by index: appending should
 * read a handful per entry; thousands mean a plan scans whole chains.
 * (The counters are published by each backend about once a second.)
 */
async function indexReads(database: pg.Client): Promise<Map<string, number>> {
  const { rows } = await database.query(
    `SELECT indexrelname AS index, idx_tup_read::float AS reads FROM pg_stat_user_indexes WHERE relname = 'ledger_entry'`,
  );
  return new Map((rows as Array<{ index: string; reads: number }>).map((row) => [row.index, row.reads]));
}

function readsLine(before: Map<string, number>, after: Map<string, number>, entries: number): string {
  const perEntry = [...after]
    .map(([index, reads]) => [index, (reads - (before.get(index) ?? 0)) / Math.max(1, entries)] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = perEntry.reduce((sum, [, reads]) => sum + reads, 0);
  return `ledger_entry index entries read per appended entry: ${formatNumber(total, 1)} (${perEntry
    .map(([index, reads]) => `${index} ${formatNumber(reads, 1)}`)
    .join(', ')})`;
}



async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const session = new BenchSession({
    title: 'Charity Ledger — append benchmark',
    databasePrefix: 'cl_bench',
    keep: options.keep,
    settings: ['fsync', 'synchronous_commit'],
    headerLines: [
      ['service', `DATABASE_POOL_SIZE=${process.env.DATABASE_POOL_SIZE || '10 (default)'}`],
      ['load', `${CLIENTS} clients, keep-alive, ${WARMUP_MS / 1000} s warm-up + ${options.seconds} s measured per phase`],
    ],
  });

  try {
    const { service, startSeconds } = await session.open();
    console.log(`service started in ${startSeconds.toFixed(1)} s (pid ${service.pid}): ${service.graphqlUrl}`);
    const { adminKey } = session;
    const client = session.graphqlClient(CLIENTS);
    const database = await session.connect();
    const sample = async () => {
      const { rows: backends } = await database.query(
        'SELECT pid::text AS pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return snapshot(service.pid, (backends as Array<{ pid: string }>).map((row) => row.pid));
    };

    const spread: BenchCharity[] = [];
    for (let ordinal = 1; ordinal <= SPREAD_CHARITIES; ordinal++) spread.push(await registerCharity(client, adminKey, ordinal, 'spread'));
    const single = await registerCharity(client, adminKey, SPREAD_CHARITIES + 1, 'one charity');
    const bulk = await registerCharity(client, adminKey, SPREAD_CHARITIES + 2, 'batches');
    const charities = [...spread, single, bulk];
    const acknowledged = new Acknowledged();

    const totalEntries = () => charities.reduce((sum, charity) => sum + acknowledged.count(charity.id), 0);
    const readsAtStart = await indexReads(database);
    console.log(`phase 1/3: recordDonation, ${CLIENTS} clients over ${SPREAD_CHARITIES} charities …`);
    const spreadLoad = await runSingleEntryLoad(
      'spread',
      client,
      Array.from({ length: CLIENTS }, (_, index) => spread[index % SPREAD_CHARITIES]),
      options,
      acknowledged,
      sample,
    );
    const readsAfterSpread = await indexReads(database);
    const entriesAfterSpread = totalEntries();
    console.log(`phase 2/3: recordDonation, ${CLIENTS} clients on one charity …`);
    const singleLoad = await runSingleEntryLoad(
      'single',
      client,
      Array.from({ length: CLIENTS }, () => single),
      options,
      acknowledged,
      sample,
    );
    const readsAfterSingle = await indexReads(database);
    const entriesAfterSingle = totalEntries();
    console.log(`phase 3/3: recordDonations (${BATCH_SIZE} per call, one client), then raw INSERT of the same rows …`);
    const batches = await runBatches(client, bulk, options, acknowledged, sample);
    const readsAfterBatches = await indexReads(database);
    const entriesAfterBatches = totalEntries();

    // the same rows, as stored: timestamps and jsonb as text so they round-trip exactly
    const copied = await database.query({
      text: `SELECT position, charity_id, sequence, type, occurred_at::text, recorded_at::text, actor_key_id, canonical_json,
                    payload::text, prev_hash, hash, idempotency_key, request_hash
               FROM ledger_entry WHERE charity_id = $1 AND sequence BETWEEN $2 AND $3 ORDER BY sequence`,
      values: [bulk.id, batches.firstSequence, batches.lastSequence],
      rowMode: 'array',
    });
    const rows = copied.rows as unknown[][];
    if (rows.length !== batches.rows) throw new Error(`found ${rows.length} rows of the measured batches, expected ${batches.rows}`);
    // same columns and types, NOT NULL, primary key and unique indexes; no triggers, no foreign keys
    await database.query('CREATE TABLE bench_unchained_entry (LIKE ledger_entry INCLUDING ALL)');
    // and only the columns, to show what the indexes cost
    await database.query('CREATE TABLE bench_unchained_entry_bare (LIKE ledger_entry)');
    const raw = await runRawInsert(database, 'bench_unchained_entry', rows);
    const rawBare = await runRawInsert(database, 'bench_unchained_entry_bare', rows);
    const ratio = batches.rowsPerSecond / raw.rowsPerSecond;

    const spreadCommits = await commitSizes(database, spreadLoad.charityIds, spreadLoad.windowStart, spreadLoad.windowEnd);
    const singleCommits = await commitSizes(database, singleLoad.charityIds, singleLoad.windowStart, singleLoad.windowEnd);

    console.log('verifying every chain through verifyChain …');
    const verifications = [];
    for (const charity of charities) {
      const result = await verifyChain(client, charity.id);
      const expected = acknowledged.count(charity.id);
      const head = acknowledged.head(charity.id);
      const problems: string[] = [];
      if (!result.valid) problems.push(`invalid at sequence ${result.firstInvalidSequence}: ${result.reason}`);
      if (result.length !== expected) problems.push(`length ${result.length}, but ${expected} entries were acknowledged`);
      if (head && (head.sequence !== result.length || head.hash !== result.headHash)) {
        problems.push(`head ${result.length}/${result.headHash.slice(0, 12)}… differs from the last receipt ${head.sequence}/${head.hash.slice(0, 12)}…`);
      }
      verifications.push({ charity, result, problems });
    }

    console.log('');
    console.log(
      table(
        ['phase', 'measured', 'throughput', 'p50', 'p99', 'max'],
        [
          [
            `recordDonation, ${CLIENTS} clients / ${SPREAD_CHARITIES} charities`,
            `${formatNumber(spreadLoad.requests)} calls in ${spreadLoad.seconds} s`,
            `${formatNumber(spreadLoad.perSecond)} calls/s`,
            formatMs(spreadLoad.p50),
            formatMs(spreadLoad.p99),
            formatMs(spreadLoad.max),
          ],
          [
            `recordDonation, ${CLIENTS} clients / 1 charity`,
            `${formatNumber(singleLoad.requests)} calls in ${singleLoad.seconds} s`,
            `${formatNumber(singleLoad.perSecond)} calls/s`,
            formatMs(singleLoad.p50),
            formatMs(singleLoad.p99),
            formatMs(singleLoad.max),
          ],
          [
            `recordDonations, ${formatNumber(BATCH_SIZE)} per call, 1 client`,
            `${formatNumber(batches.rows)} rows in ${batches.seconds.toFixed(1)} s`,
            `${formatNumber(batches.rowsPerSecond)} rows/s`,
            formatMs(batches.p50),
            '',
            formatMs(batches.max),
          ],
          [
            `raw INSERT, ${formatNumber(BATCH_SIZE)} rows/statement, same indexes`,
            `${formatNumber(raw.rows)} rows in ${raw.seconds.toFixed(1)} s`,
            `${formatNumber(raw.rowsPerSecond)} rows/s`,
            '',
            '',
            '',
          ],
          [
            `raw INSERT, ${formatNumber(BATCH_SIZE)} rows/statement, no indexes`,
            `${formatNumber(rawBare.rows)} rows in ${rawBare.seconds.toFixed(1)} s`,
            `${formatNumber(rawBare.rowsPerSecond)} rows/s`,
            '',
            '',
            '',
          ],
        ],
        new Set([2, 3, 4, 5]),
      ),
    );
    console.log('');
    console.log(`batched / raw (same indexes): ${ratio.toFixed(2)}   (batched / raw without indexes: ${(batches.rowsPerSecond / rawBare.rowsPerSecond).toFixed(2)})`);
    console.log('');
    console.log('Where the time goes (measured windows; CPU in % of one core)');
    console.log(`  phase 1: ${cpuLine(spreadLoad.cpu)}`);
    console.log(`           ${formatNumber(spreadCommits.commits / spreadLoad.seconds)} commits/s, entries per commit: mean ${spreadCommits.mean.toFixed(1)}, p50 ${spreadCommits.p50}, max ${spreadCommits.max}`);
    console.log(`           ${readsLine(readsAtStart, readsAfterSpread, entriesAfterSpread)}`);
    console.log(`  phase 2: ${cpuLine(singleLoad.cpu)}`);
    console.log(`           ${formatNumber(singleCommits.commits / singleLoad.seconds)} commits/s, entries per commit: mean ${singleCommits.mean.toFixed(1)}, p50 ${singleCommits.p50}, max ${singleCommits.max}`);
    console.log(`           ${readsLine(readsAfterSpread, readsAfterSingle, entriesAfterSingle - entriesAfterSpread)}`);
    console.log(`  phase 3: ${cpuLine(batches.cpu)}`);
    console.log(`           ${batches.batches} batches, p50 ${formatMs(batches.p50)} per batch of ${formatNumber(BATCH_SIZE)}`);
    console.log(`           ${readsLine(readsAfterSingle, readsAfterBatches, entriesAfterBatches - entriesAfterSingle)}`);
    if (!procAvailable) console.log('  (CPU figures need Linux /proc)');
    console.log('');

    console.log('Chains (verifyChain over GraphQL)');
    for (const { charity, result, problems } of verifications) {
      const status = problems.length === 0 ? 'valid' : `BROKEN: ${problems.join('; ')}`;
      console.log(`  ${charity.id}  ${formatNumber(result.length).padStart(7)} entries  ${status}`);
    }
    console.log('');

    const mark = (pass: boolean) => (pass ? 'pass' : 'MISS');
    const targets: Array<[boolean, string]> = [
      [spreadLoad.perSecond >= TARGETS.spreadPerSecond, `≥ ${formatNumber(TARGETS.spreadPerSecond)}/s over ${SPREAD_CHARITIES} charities: ${formatNumber(spreadLoad.perSecond)}/s`],
      [singleLoad.perSecond >= TARGETS.singleCharityPerSecond, `≥ ${formatNumber(TARGETS.singleCharityPerSecond)}/s on one charity: ${formatNumber(singleLoad.perSecond)}/s`],
      [spreadLoad.p99 < TARGETS.p99Ms, `p99 < ${TARGETS.p99Ms} ms over ${SPREAD_CHARITIES} charities: ${formatMs(spreadLoad.p99)}`],
      [singleLoad.p99 < TARGETS.p99Ms, `p99 < ${TARGETS.p99Ms} ms on one charity: ${formatMs(singleLoad.p99)}`],
      [ratio >= TARGETS.batchRatio, `batched / raw ≥ ${TARGETS.batchRatio}: ${ratio.toFixed(2)}`],
    ];
    console.log('Targets');
    for (const [pass, text] of targets) console.log(`  ${mark(pass)}  ${text}`);

    const broken = verifications.filter((verification) => verification.problems.length > 0);
    if (broken.length > 0) {
      console.error(`\nERROR: ${broken.length} chain(s) failed verification; the figures above are not valid.`);
      return 1;
    }
    return 0;
  } catch (error) {
    session.reportFailure(error);
    return 1;
  } finally {
    await session.close();
  }
}

runBench(main);
