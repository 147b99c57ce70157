/**
 * `npm run bench:trace`: how fast a donor's trace (`traceDonation(receiptCode)`)
 * answers on a big ledger.
 *
 *   1. builds a ledger of 1,000,000 entries over 4 charities through the service's
 *      own GraphQL append path (same validation, hashing, chain, books and
 *      projections as production): gifts in batches of 1,000 from 2 callers per
 *      charity, interleaved with gifts in kind, procurements, beneficiary
 *      selections, goods and cash disbursements, expenses and a few reversals;
 *   2. traces 1,000 random receipts one after the other (one client), then 1,000
 *      others with 8 concurrent clients; if the tables have no statistics (a server
 *      without autovacuum), once more after ANALYZE; EXPLAIN ANALYZE of the slowest
 *      and the median trace's queries (full plans with BENCH_TRACE_EXPLAIN=full);
 *   3. reports the database's size and rows, and verifies every chain.
 *
 * A missed target is reported, not failed: the exit code is non-zero only when
 * something went wrong (a failed request, a wrong trace, a broken chain, a crash).
 * Options: --entries N (default 1,000,000), --receipts N (default 1,000), --keep (keep the database).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { normalizeReceiptCode, receiptCodeHash } from '../apps/api/src/tracing/receipt-codes.js';
import { cpuUse, snapshot, type CpuSnapshot } from './support/cpu.js';
import { BenchSession, runBench } from './support/bench-session.js';
import { GraphQLClient } from './support/graphql-client.js';
import { registerCharity, verifyChain, type ChainVerification } from './support/ledger-api.js';
import { ascending, formatMs, formatNumber, percentile, table } from './support/stats.js';
import {
  CharityFlow,
  emptyCounters,
  ReceiptSample,
  runFlows,
  TRACE_DONATION,
  type DonationTraceAnswer,
  type FlowCounters,
  type KeptReceipt,
  type LoadLatencies,
} from './support/trace-fund-flow.js';
import { SeededRandom } from './support/trace-random.js';
import { cpuLine, formatBytes, formatDuration, residentBytes } from './support/report.js';

const CHARITIES = 4;
const BATCH_SIZE = 1_000;
/** two batches in flight per charity: the service parses one while the other commits */
const GIFT_CALLERS_PER_CHARITY = 2;
const SAMPLE_SIZE = 20_000;
const WARMUP_TRACES = 200;
const CONCURRENT_CLIENTS = 8;
const SEED = 20_261_128;
const USAGE = 'usage: npm run bench:trace -- [--entries N] [--receipts N] [--keep]';

const TARGETS = { p95Ms: 50 };

interface Options {
  entries: number;
  receipts: number;
  keep: boolean;
}

interface TraceSample {
  receipt: KeptReceipt;
  latencyMs: number;
  uses: number;
  goods: number;
  deliveries: number;
}

interface TracePhase {
  label: string;
  samples: TraceSample[];
  seconds: number;
  cpu?: ReturnType<typeof cpuUse>;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { entries: 1_000_000, receipts: 1_000, keep: false };
  const count = (name: string, raw: string | undefined, minimum: number) => {
    const value = Number(String(raw).replace(/[_,]/g, ''));
    if (!Number.isSafeInteger(value) || value < minimum) throw new Error(`--${name} needs a whole number ≥ ${formatNumber(minimum)}, got "${raw}" (${USAGE})`);
    return value;
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const [name, inline] = argument.startsWith('--') && argument.includes('=') ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)] : [argument, undefined];
    if (name === '--keep') options.keep = true;
    else if (name === '--entries') options.entries = count('entries', inline ?? argv[++index], 10_000);
    else if (name === '--receipts') options.receipts = count('receipts', inline ?? argv[++index], 10);
    else if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument "${argument}" (${USAGE})`);
  }
  return options;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const runTag = randomBytes(4).toString('hex');

function sumCounters(flows: readonly CharityFlow[]): FlowCounters {
  const total = emptyCounters();
  for (const flow of flows) for (const key of Object.keys(total) as Array<keyof FlowCounters>) total[key] += flow.counters[key];
  return total;
}

const yuan = (fen: number) => `¥${formatNumber(fen / 100)}`;
const fen = (text: string) => Math.round(Number(text) * 100);

/**
 * Traces the receipts with `clients` concurrent workers; latency per request, from
 * send to the last byte of the answer. Every answer is checked against what was
 * recorded: the right gift, and for money attributed + refunded + unspent = the gift.
 */
async function tracePhase(
  graphqlUrl: string,
  label: string,
  receipts: readonly KeptReceipt[],
  clients: number,
  sample: () => Promise<CpuSnapshot | undefined>,
): Promise<TracePhase> {
  const samples: TraceSample[] = [];
  // a fresh client per phase: no keep-alive connection left idle long enough for the service to close it
  const client = new GraphQLClient(graphqlUrl, clients);
  let next = 0;
  const cpuStart = await sample();
  const start = nowMs();
  const worker = async () => {
    while (next < receipts.length) {
      const receipt = receipts[next++];
      const { data, latencyMs } = await client.request<{ traceDonation: DonationTraceAnswer }>('traceDonation', TRACE_DONATION, { code: receipt.code });
      const trace = data.traceDonation;
      if (trace.sequence !== receipt.sequence || trace.kind !== receipt.kind) {
        throw new Error(`traceDonation(${receipt.code}) answered gift ${trace.sequence} (${trace.kind}), expected ${receipt.sequence} (${receipt.kind})`);
      }
      if (trace.kind === 'CASH' && fen(trace.attributed.amount) + fen(trace.refunded.amount) + fen(trace.unspent.amount) !== fen(trace.amount.amount)) {
        throw new Error(
          `traceDonation(${receipt.code}): attributed ${trace.attributed.amount} + refunded ${trace.refunded.amount} + unspent ${trace.unspent.amount} ≠ the gift ${trace.amount.amount}`,
        );
      }
      samples.push({ receipt, latencyMs, uses: trace.uses.length, goods: trace.goods.length, deliveries: trace.deliveries.length });
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, worker));
  } finally {
    client.close();
  }
  const seconds = (nowMs() - start) / 1_000;
  return { label, samples, seconds, cpu: cpuUse(cpuStart, await sample()) };
}

function phaseRow(phase: TracePhase): string[] {
  const sorted = ascending(phase.samples.map((item) => item.latencyMs));
  return [
    phase.label,
    formatNumber(sorted.length),
    `${formatNumber(sorted.length / phase.seconds)}/s`,
    formatMs(percentile(sorted, 50)),
    formatMs(percentile(sorted, 95)),
    formatMs(percentile(sorted, 99)),
    formatMs(sorted.at(-1) ?? Number.NaN),
  ];
}

/** The queries of TracingService.traceDonation, in its order (copied: keep in step with tracing.service.ts). */
function traceQueries(codeHash: string, charityId: string, sequence: number): Array<[string, string, unknown[]]> {
  const key = [charityId, sequence];
  return [
    ['receipt code', 'SELECT charity_id, donation_sequence FROM receipt_code WHERE code_hash = $1 AND revoked_at IS NULL', [codeHash]],
    [
      'gift entry',
      `SELECT e.position, e.charity_id, e.sequence, e.type, e.occurred_at, e.recorded_at, e.actor_key_id, e.canonical_json, e.payload, e.prev_hash, e.hash,
              r.reversal_sequence AS reversed_by
         FROM ledger_entry e LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence
        WHERE e.charity_id = $1 AND e.sequence = $2`,
      key,
    ],
    [
      'uses',
      `SELECT entry_sequence, entry_type, sum(value) AS value, project_id, cost_class, occurred_at, reversed_by
         FROM book_draw WHERE charity_id = $1 AND funding_sequence = $2 AND kind = 'MONEY'
        GROUP BY entry_sequence, entry_type, project_id, cost_class, occurred_at, reversed_by ORDER BY entry_sequence`,
      key,
    ],
    [
      'goods',
      `SELECT l.lot_id, l.source_sequence, l.source, l.item_code, l.unit, l.unit_value, l.reversed, sum(s.value) AS value, sum(s.remaining) AS remaining
         FROM book_goods_slice s JOIN book_goods_lot l ON l.charity_id = s.charity_id AND l.lot_id = s.lot_id
        WHERE s.charity_id = $1 AND s.funding_sequence = $2
        GROUP BY l.lot_id, l.source_sequence, l.source, l.item_code, l.unit, l.unit_value, l.reversed ORDER BY l.source_sequence, l.lot_id`,
      key,
    ],
    [
      'deliveries',
      `SELECT d.entry_sequence, d.lot_id, d.value, d.region_code, d.occurred_at, d.reversed_by, l.item_code, l.unit, l.unit_value
         FROM book_draw d JOIN book_goods_lot l ON l.charity_id = d.charity_id AND l.lot_id = d.lot_id
        WHERE d.charity_id = $1 AND d.funding_sequence = $2 AND d.kind = 'GOODS' ORDER BY d.entry_sequence, d.draw_index`,
      key,
    ],
    ['money lot', 'SELECT remaining_minor FROM book_money_lot WHERE charity_id = $1 AND sequence = $2', key],
  ];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** The scans of a plan, by index where there is one (a bitmap heap scan's index is its child's). */
function scans(node: PlanNode): string[] {
  const own = node['Index Name'] || node['Relation Name'] ? [`${node['Node Type']} ${node['Index Name'] ?? node['Relation Name']}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scans)];
}

/** EXPLAIN ANALYZE of each query of one trace: time, rows, buffers and the scans used. */
async function explainTrace(database: pg.Client, receipt: KeptReceipt, charityId: string, full: boolean): Promise<string[]> {
  const lines: string[] = [];
  for (const [label, sql, parameters] of traceQueries(receiptCodeHash(normalizeReceiptCode(receipt.code)!), charityId, receipt.sequence)) {
    const { rows } = await database.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, parameters);
    const [{ Plan: plan, 'Execution Time': executionMs, 'Planning Time': planningMs }] = (rows[0] as { 'QUERY PLAN': Array<{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }> })['QUERY PLAN'];
    lines.push(
      `    ${label.padEnd(12)} ${executionMs.toFixed(2).padStart(8)} ms (+ planning ${planningMs.toFixed(2)} ms), ${formatNumber(plan['Actual Rows'])} rows, ` +
        `buffers hit ${formatNumber(plan['Shared Hit Blocks'] ?? 0)} read ${formatNumber(plan['Shared Read Blocks'] ?? 0)}: ${scans(plan).join(', ')}`,
    );
    if (full) {
      const text = await database.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, parameters);
      for (const row of text.rows as Array<{ 'QUERY PLAN': string }>) lines.push(`        ${row['QUERY PLAN']}`);
    }
  }
  return lines;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const explainFully = process.env.BENCH_TRACE_EXPLAIN === 'full';
  const session = new BenchSession({
    title: 'Charity Ledger — trace benchmark',
    databasePrefix: 'cl_bench_trace',
    keep: options.keep,
    settings: ['autovacuum', 'effective_cache_size', 'fsync', 'shared_buffers', 'synchronous_commit', 'work_mem'],
    headerLines: [
      ['service', `DATABASE_POOL_SIZE=${process.env.DATABASE_POOL_SIZE || '10 (default)'}`],
      [
        'ledger',
        `${formatNumber(options.entries)} entries over ${CHARITIES} charities through the service's GraphQL append path ` +
          `(recordDonations of ${formatNumber(BATCH_SIZE)}, ${GIFT_CALLERS_PER_CHARITY} callers per charity, spending interleaved); seed ${SEED}`,
      ],
      [
        'traces',
        `${formatNumber(WARMUP_TRACES)} warm-up, ${formatNumber(options.receipts)} with 1 client, ${formatNumber(options.receipts)} with ` +
          `${CONCURRENT_CLIENTS} clients, random receipts from a uniform sample of ${formatNumber(SAMPLE_SIZE)}`,
      ],
    ],
  });

  try {
    const { service, startSeconds } = await session.open();
    console.log(`service started in ${startSeconds.toFixed(1)} s (pid ${service.pid}): ${service.graphqlUrl}`);
    const { adminKey, databaseName } = session;
    let client = session.graphqlClient(256);
    const database = await session.connect();
    const sample = async () => {
      const { rows: backends } = await database.query(
        'SELECT pid::text AS pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return snapshot(service.pid, (backends as Array<{ pid: string }>).map((row) => row.pid));
    };

    // ---- 1. build the ledger ---------------------------------------------------------
    const random = new SeededRandom(SEED);
    const receipts = new ReceiptSample(SAMPLE_SIZE, new SeededRandom(SEED + 1));
    const latencies: LoadLatencies = { batches: [], singles: [] };
    const quotas = Array.from({ length: CHARITIES }, (_, index) => Math.floor(options.entries / CHARITIES) + (index < options.entries % CHARITIES ? 1 : 0));
    const reportEvery = Math.min(50_000, Math.max(1_000, Math.round(options.entries / 20 / 1_000) * 1_000));
    let loadStart = nowMs();
    let total = 0;
    let nextReport = reportEvery;
    // the history spans a year up to two hours ago: no date is ever in the future
    const historyEnd = Date.now() - 2 * 3_600_000;
    const historyStart = historyEnd - 365 * 86_400_000;
    const clock = () => new Date(historyStart + (historyEnd - historyStart) * Math.min(1, total / options.entries));
    const onEntries = (count: number) => {
      total += count;
      while (total >= nextReport) {
        const seconds = (nowMs() - loadStart) / 1_000;
        const rate = total / seconds;
        const rss = residentBytes(service.pid);
        console.log(
          `  ${formatNumber(nextReport).padStart(11)} / ${formatNumber(options.entries)} entries (${((100 * nextReport) / options.entries).toFixed(0).padStart(3)} %)` +
            `  ${formatDuration(seconds).padStart(11)}  ${formatNumber(rate).padStart(6)} entries/s  ETA ${formatDuration((options.entries - total) / rate)}` +
            (rss ? `  service RSS ${formatBytes(rss)}` : ''),
        );
        nextReport += reportEvery;
      }
    };

    const flows: CharityFlow[] = [];
    for (let ordinal = 1; ordinal <= CHARITIES; ordinal++) {
      const charity = await registerCharity(client, adminKey, ordinal, 'trace');
      flows.push(new CharityFlow(client, charity, ordinal, runTag, random, receipts, latencies, clock, onEntries));
    }
    console.log(`building the ledger: ${formatNumber(options.entries)} entries, progress every ${formatNumber(reportEvery)} …`);
    loadStart = nowMs();
    const loadCpuStart = await sample();
    await runFlows(flows, quotas, GIFT_CALLERS_PER_CHARITY);
    const loadSeconds = (nowMs() - loadStart) / 1_000;
    const loadCpu = cpuUse(loadCpuStart, await sample());
    const acknowledged = flows.reduce((sum, flow) => sum + flow.entries, 0);
    console.log(`built ${formatNumber(acknowledged)} entries in ${formatDuration(loadSeconds)}: ${formatNumber(acknowledged / loadSeconds)} entries/s`);

    // ---- 2. what was built -------------------------------------------------------------
    const [{ size }] = (await database.query('SELECT pg_database_size(current_database())::float AS size')).rows as Array<{ size: number }>;
    const tables = (
      await database.query(
        `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float AS bytes, pg_indexes_size(c.oid)::float AS index_bytes
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND (c.relname IN ('ledger_entry', 'receipt_code', 'donor_identity') OR c.relname LIKE 'book\\_%')
          ORDER BY pg_total_relation_size(c.oid) DESC`,
      )
    ).rows as Array<{ name: string; bytes: number; index_bytes: number }>;
    const tableRows: string[][] = [];
    for (const relation of tables) {
      const [{ count }] = (await database.query(`SELECT count(*)::float AS count FROM ${relation.name}`)).rows as Array<{ count: number }>;
      tableRows.push([relation.name, formatNumber(count), formatBytes(relation.bytes), formatBytes(relation.index_bytes)]);
    }
    const analyzed = (
      await database.query(
        `SELECT relname AS name, last_autoanalyze IS NOT NULL AS analyzed, n_mod_since_analyze::float AS modified
           FROM pg_stat_user_tables WHERE relname IN ('ledger_entry', 'receipt_code', 'book_draw', 'book_goods_slice', 'book_goods_lot', 'book_money_lot') ORDER BY relname`,
      )
    ).rows as Array<{ name: string; analyzed: boolean; modified: number }>;

    // ---- 3. trace -----------------------------------------------------------------------
    // the load's dirty pages are flushed now, not by a checkpoint during the measured phases
    const checkpointStart = nowMs();
    await database.query('CHECKPOINT');
    const checkpointSeconds = (nowMs() - checkpointStart) / 1_000;
    const traceRandom = new SeededRandom(SEED + 2);
    const needed = WARMUP_TRACES + 3 * options.receipts;
    const shuffled = traceRandom.sample(receipts.kept, receipts.kept.length);
    const pick = (from: number, count: number) => Array.from({ length: count }, (_, index) => shuffled[(from + index) % shuffled.length]);
    console.log(`tracing: ${formatNumber(WARMUP_TRACES)} warm-up traces …`);
    await tracePhase(service.graphqlUrl, 'warm-up', pick(0, WARMUP_TRACES), 1, sample);
    console.log(`tracing: ${formatNumber(options.receipts)} random receipts, 1 client …`);
    const sequential = await tracePhase(service.graphqlUrl, 'traceDonation, 1 client', pick(WARMUP_TRACES, options.receipts), 1, sample);
    console.log(`tracing: ${formatNumber(options.receipts)} other random receipts, ${CONCURRENT_CLIENTS} clients …`);
    const concurrent = await tracePhase(
      service.graphqlUrl,
      `traceDonation, ${CONCURRENT_CLIENTS} clients`,
      pick(WARMUP_TRACES + options.receipts, options.receipts),
      CONCURRENT_CLIENTS,
      sample,
    );

    // the slowest and the median trace of the one-client phase, query by query
    const byLatency = [...sequential.samples].sort((a, b) => a.latencyMs - b.latencyMs);
    const explained: Array<[string, TraceSample, string[]]> = [];
    for (const [label, item] of [
      ['slowest trace', byLatency.at(-1)!],
      ['median trace', byLatency[Math.floor((byLatency.length - 1) / 2)]],
    ] as const) {
      explained.push([label, item, await explainTrace(database, item.receipt, flows[item.receipt.charity - 1].charity.id, explainFully)]);
    }

    // Without autovacuum (off on some servers) the tables have no statistics and the
    // planner guesses; once more after ANALYZE, as autovacuum would leave them.
    const [{ unanalyzed }] = (
      await database.query(
        `SELECT count(*)::int AS unanalyzed FROM pg_class WHERE relname IN ('ledger_entry', 'receipt_code', 'book_draw', 'book_goods_slice', 'book_goods_lot', 'book_money_lot') AND reltuples < 0`,
      )
    ).rows as Array<{ unanalyzed: number }>;
    let analyzedPhase: TracePhase | undefined;
    let analyzeSeconds = 0;
    if (unanalyzed > 0) {
      console.log(`tracing: ${unanalyzed} of the traced tables have no statistics; ANALYZE, then ${formatNumber(options.receipts)} other receipts, 1 client …`);
      const analyzeStart = nowMs();
      await database.query('ANALYZE');
      analyzeSeconds = (nowMs() - analyzeStart) / 1_000;
      analyzedPhase = await tracePhase(service.graphqlUrl, 'traceDonation, 1 client, after ANALYZE', pick(WARMUP_TRACES + 2 * options.receipts, options.receipts), 1, sample);
      const slowest = byLatency.at(-1)!;
      explained.push(['slowest trace again, after ANALYZE', slowest, await explainTrace(database, slowest.receipt, flows[slowest.receipt.charity - 1].charity.id, explainFully)]);
    }

    // ---- 4. verify the chains -------------------------------------------------------------
    console.log('verifying every chain through verifyChain …');
    client.close();
    client = session.graphqlClient(1);
    const verifications: Array<{ flow: CharityFlow; result: ChainVerification; seconds: number; problems: string[] }> = [];
    for (const flow of flows) {
      const started = nowMs();
      const result = await verifyChain(client, flow.charity.id);
      const problems: string[] = [];
      if (!result.valid) problems.push(`invalid at sequence ${result.firstInvalidSequence}: ${result.reason}`);
      if (result.length !== flow.entries) problems.push(`length ${result.length}, but ${flow.entries} entries were acknowledged`);
      verifications.push({ flow, result, seconds: (nowMs() - started) / 1_000, problems });
    }

    // ---- report ------------------------------------------------------------------------------
    const counters = sumCounters(flows);
    const loadSorted = { batches: ascending(latencies.batches), singles: ascending(latencies.singles) };
    console.log('');
    console.log('The ledger (built through the service’s GraphQL append path)');
    console.log(
      table(
        ['entries', 'count', 'amount'],
        [
          ['gifts of money (recordDonations)', formatNumber(counters.gifts), yuan(counters.giftsFen)],
          ['  of which restricted to a project', formatNumber(counters.restrictedGifts), ''],
          ['gifts in kind', formatNumber(counters.inKindGifts), ''],
          ['projects opened', formatNumber(counters.projects), ''],
          ['beneficiary selections', formatNumber(counters.selections), `${formatNumber(counters.beneficiaries)} pseudonyms`],
          ['procurements', formatNumber(counters.procurements), yuan(counters.procuredFen)],
          ['disbursements of goods', formatNumber(counters.goodsDisbursements), ''],
          ['disbursements of cash', formatNumber(counters.cashDisbursements), yuan(counters.disbursedFen)],
          ['expenses', formatNumber(counters.expenses), yuan(counters.expensesFen)],
          ['reversals', formatNumber(counters.reversals), ''],
          ['total', formatNumber(acknowledged), ''],
        ],
        new Set([1, 2]),
      ),
    );
    if (counters.refused > 0) console.log(`(${formatNumber(counters.refused)} spending requests refused with INSUFFICIENT_FUNDS/GOODS and skipped)`);
    if (counters.retried > 0) {
      console.log(`(${formatNumber(counters.retried)} requests sent again with the same idempotency keys after the connection dropped without an answer)`);
    }
    console.log('');
    console.log(`load: ${formatNumber(acknowledged)} entries in ${formatDuration(loadSeconds)} = ${formatNumber(acknowledged / loadSeconds)} entries/s`);
    console.log(
      `      recordDonations (${formatNumber(latencies.batches.length)} calls): p50 ${formatMs(percentile(loadSorted.batches, 50))}, p95 ${formatMs(percentile(loadSorted.batches, 95))}; ` +
        `single-entry calls (${formatNumber(latencies.singles.length)}): p50 ${formatMs(percentile(loadSorted.singles, 50))}, p95 ${formatMs(percentile(loadSorted.singles, 95))}`,
    );
    console.log(`      CPU: ${cpuLine(loadCpu)}`);
    const rss = residentBytes(service.pid);
    if (rss) console.log(`      service RSS after the load: ${formatBytes(rss)}`);
    console.log('');
    console.log(`database ${databaseName}: ${formatBytes(size)} (pg_database_size); CHECKPOINT after the load took ${formatDuration(checkpointSeconds)}`);
    console.log(table(['table', 'rows', 'size', 'of which indexes'], tableRows, new Set([1, 2, 3])));
    console.log(
      `autovacuum had analyzed: ${analyzed.map((row) => `${row.name} ${row.analyzed ? 'yes' : 'no'} (${formatNumber(row.modified)} rows changed since)`).join(', ')}`,
    );
    console.log('');
    const phases = [sequential, concurrent, ...(analyzedPhase ? [analyzedPhase] : [])];
    const traced = phases.flatMap((phase) => phase.samples);
    const distinct = new Set(traced.map((item) => item.receipt.code)).size;
    console.log(
      `Traces (${formatNumber(receipts.kept.length)} receipts kept of ${formatNumber(receipts.seen)} issued; ${formatNumber(distinct)} distinct receipts traced` +
        `${needed > shuffled.length ? ', some more than once' : ''})`,
    );
    console.log(table(['phase', 'traces', 'throughput', 'p50', 'p95', 'p99', 'max'], phases.map(phaseRow), new Set([1, 2, 3, 4, 5, 6])));
    const shape = (pick: (item: TraceSample) => number) => {
      const values = ascending(traced.map(pick));
      return `mean ${(values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1)}, p95 ${percentile(values, 95)}, max ${values.at(-1)}`;
    };
    console.log(
      `what a trace held: uses ${shape((item) => item.uses)}; goods lots ${shape((item) => item.goods)}; deliveries ${shape((item) => item.deliveries)}; ` +
        `${((100 * traced.filter((item) => item.uses + item.goods > 0).length) / traced.length).toFixed(0)} % of the gifts traced had been used`,
    );
    console.log(`CPU, 1 client:  ${cpuLine(sequential.cpu)}`);
    console.log(`CPU, ${CONCURRENT_CLIENTS} clients: ${cpuLine(concurrent.cpu)}`);
    if (analyzedPhase) console.log(`ANALYZE of the whole database took ${formatDuration(analyzeSeconds)}`);
    for (const [label, item, lines] of explained) {
      console.log(
        `${label}: ${formatMs(item.latencyMs)} over HTTP in the 1-client phase, gift ${item.receipt.charity}/${item.receipt.sequence} (${item.receipt.kind}; ` +
          `${item.uses} uses, ${item.goods} goods lots, ${item.deliveries} deliveries); EXPLAIN ANALYZE of its queries:`,
      );
      for (const line of lines) console.log(line);
    }
    console.log('');

    console.log('Chains (verifyChain over GraphQL)');
    for (const { flow, result, seconds, problems } of verifications) {
      const status = problems.length === 0 ? 'valid' : `BROKEN: ${problems.join('; ')}`;
      console.log(`  ${flow.charity.id}  ${formatNumber(result.length).padStart(9)} entries  ${status}  (${formatDuration(seconds)})`);
    }
    console.log('');

    const p95 = (phase: TracePhase) => percentile(ascending(phase.samples.map((item) => item.latencyMs)), 95);
    const mark = (pass: boolean) => (pass ? 'pass' : 'MISS');
    console.log('Targets');
    console.log(`  ${mark(p95(sequential) < TARGETS.p95Ms)}  trace p95 < ${TARGETS.p95Ms} ms, 1 client, ${formatNumber(acknowledged)} entries: ${formatMs(p95(sequential))}`);
    console.log(`  ${mark(p95(concurrent) < TARGETS.p95Ms)}  trace p95 < ${TARGETS.p95Ms} ms, ${CONCURRENT_CLIENTS} clients: ${formatMs(p95(concurrent))}`);
    if (analyzedPhase) console.log(`  ${mark(p95(analyzedPhase) < TARGETS.p95Ms)}  trace p95 < ${TARGETS.p95Ms} ms, 1 client, after ANALYZE: ${formatMs(p95(analyzedPhase))}`);

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
