/**
 * `npm run bench:disclosures`: how fast a year's grouped disclosures answer on a big
 * ledger, for the public (small cells suppressed, so every margin is computed too)
 * and for a regulator (exact).
 *
 *   1. builds a ledger of 1,000,000 entries over 4 charities through the service's
 *      own GraphQL append path, with bench:trace's fund flow (bench/support/
 *      trace-fund-flow.ts): gifts in batches of 1,000, gifts in kind, procurements,
 *      beneficiary selections across Shenzhen's streets, goods and cash disbursements,
 *      expenses and reversals, dated over the past year; every append writes its
 *      ledger facts and their rollups in its transaction, as in production;
 *   2. asks `disclosures` for the year grouped by month, by district, by month ×
 *      district, by category × quarter and by street, one request after the other,
 *      as the public and as a regulator — first as the load left the tables, then
 *      after ANALYZE; EXPLAIN ANALYZE of the statement behind the slowest grouping;
 *   3. checks the answers: the public and the regulator see the same cells, every
 *      small cell is hidden from the public, and the regulator's grand total equals
 *      a sum over the raw ledger_fact table (so the rollups agree with the facts).
 *
 * A missed target is reported, not failed: the exit code is non-zero only when
 * something went wrong (a failed request, a wrong answer, a crash).
 * Options: --entries N (default 1,000,000), --requests N per grouping and role (default 100), --keep,
 * --database NAME (measure on a database an earlier --keep run or `npm run seed:demo` built: no
 * load; the period is a year from its first fact's day, or up to today if that is sooner).
 */
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { groupingsOf } from '../apps/api/src/disclosures/disclosure-query.js';
import { DisclosureDimension } from '../apps/api/src/disclosures/dto/disclosure-filter.input.js';
import { FIGURES_WORK_MEM, figuresQuery, peopleReferenceQuery, type FigureDimension } from '../apps/api/src/figures/figures.service.js';
import { ReachIndex, type ReachKey } from '../apps/api/src/figures/reach-index.js';
import { cpuUse, snapshot, type CpuUse } from './support/cpu.js';
import { BenchSession, runBench } from './support/bench-session.js';
import type { GraphQLClient } from './support/graphql-client.js';
import { registerCharity } from './support/ledger-api.js';
import { cpuLine, formatBytes, formatDuration } from './support/report.js';
import { ascending, formatMs, formatNumber, percentile, table } from './support/stats.js';
import { CharityFlow, ReceiptSample, runFlows, type LoadLatencies } from './support/trace-fund-flow.js';
import { SeededRandom } from './support/trace-random.js';

const CHARITIES = 4;
const GIFT_CALLERS_PER_CHARITY = 2;
const WARMUP_REQUESTS = 5;
const SEED = 20_261_128;
const USAGE = 'usage: npm run bench:disclosures -- [--entries N] [--requests N] [--keep] [--database NAME]';
const TARGETS = { p95Ms: 200 };

const GROUPINGS: Array<{ label: string; groupBy: DisclosureDimension[] }> = [
  { label: 'month', groupBy: [DisclosureDimension.MONTH] },
  { label: 'district', groupBy: [DisclosureDimension.DISTRICT] },
  { label: 'month × district', groupBy: [DisclosureDimension.MONTH, DisclosureDimension.DISTRICT] },
  { label: 'category × quarter', groupBy: [DisclosureDimension.PROJECT_CATEGORY, DisclosureDimension.QUARTER] },
  { label: 'street', groupBy: [DisclosureDimension.STREET] },
];

const DISCLOSURES = `
  query BenchDisclosures($filter: DisclosureFilter!, $groupBy: [DisclosureDimension!]) {
    disclosures(filter: $filter, groupBy: $groupBy) {
      exact hiddenCells
      cells { ...cell } margins { ...cell } total { ...cell }
    }
  }
  fragment cell on DisclosureCell {
    groupedBy month quarter projectCategory districtCode streetCode suppressed suppressionReason
    figures {
      received { cash { amount } inKind { amount } refunded { amount } }
      spent { charitableActivity { amount } management { amount } fundraising { amount } total { amount } }
      goodsDisbursed { units value { amount } }
      beneficiariesReached
    }
  }`;

interface CellAnswer {
  groupedBy: string[];
  month: string | null;
  quarter: string | null;
  projectCategory: string | null;
  districtCode: string | null;
  streetCode: string | null;
  suppressed: boolean;
  suppressionReason: string | null;
  figures: { received: { cash: { amount: string } }; beneficiariesReached: number } | null;
}
interface DisclosureAnswer {
  disclosures: { exact: boolean; hiddenCells: number; cells: CellAnswer[]; margins: CellAnswer[]; total: CellAnswer };
}

interface Options {
  entries: number;
  requests: number;
  keep: boolean;
  database?: string;
}

interface Measured {
  label: string;
  role: 'public' | 'regulator';
  latencies: number[];
  cells: number;
  margins: number;
  hidden: number;
  cpu?: CpuUse;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { entries: 1_000_000, requests: 100, keep: false };
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
    else if (name === '--requests') options.requests = count('requests', inline ?? argv[++index], 5);
    else if (name === '--database') {
      const database = inline ?? argv[++index];
      if (!/^[a-z_][a-z0-9_]*$/.test(database ?? '')) throw new Error(`--database needs a database name, got "${database}" (${USAGE})`);
      options.database = database;
    }
    else if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument "${argument}" (${USAGE})`);
  }
  return options;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const runTag = randomBytes(4).toString('hex');
const CHINA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const chinaDate = (instant: Date) => CHINA_DATE.format(instant);
const cellKey = (cell: CellAnswer) => JSON.stringify([cell.groupedBy, cell.month, cell.quarter, cell.projectCategory, cell.districtCode, cell.streetCode]);

/** Sequential requests of one grouping for one role; every answer checked for shape. */
async function measure(
  client: GraphQLClient,
  label: string,
  role: Measured['role'],
  variables: Record<string, unknown>,
  apiKey: string | undefined,
  requests: number,
  sample: () => Promise<ReturnType<typeof snapshot>>,
): Promise<Measured & { last: DisclosureAnswer['disclosures'] }> {
  let last: DisclosureAnswer['disclosures'] | undefined;
  for (let index = 0; index < WARMUP_REQUESTS; index++) last = (await client.request<DisclosureAnswer>('disclosures', DISCLOSURES, variables, apiKey)).data.disclosures;
  const latencies: number[] = [];
  const cpuStart = await sample();
  for (let index = 0; index < requests; index++) {
    const { data, latencyMs } = await client.request<DisclosureAnswer>('disclosures', DISCLOSURES, variables, apiKey);
    if (data.disclosures.exact !== (role === 'regulator')) throw new Error(`${label}, ${role}: exact = ${data.disclosures.exact}`);
    latencies.push(latencyMs);
    last = data.disclosures;
  }
  const answer = last!;
  return {
    label,
    role,
    latencies,
    cells: answer.cells.length,
    margins: answer.margins.length,
    hidden: answer.hiddenCells,
    cpu: cpuUse(cpuStart, await sample()),
    last: answer,
  };
}

/** The public answer hides every small cell and shows the same cells as the regulator's; returns problems found. */
function checkAnswers(label: string, shown: DisclosureAnswer['disclosures'], exact: DisclosureAnswer['disclosures']): string[] {
  const problems: string[] = [];
  const all = (answer: DisclosureAnswer['disclosures']) => [...answer.cells, ...answer.margins, answer.total];
  const exactCells = new Map(all(exact).map((cell) => [cellKey(cell), cell]));
  const shownCells = all(shown);
  if (shownCells.length !== exactCells.size) problems.push(`${label}: the public answer has ${shownCells.length} cells, the regulator's ${exactCells.size}`);
  for (const cell of shownCells) {
    const twin = exactCells.get(cellKey(cell));
    if (!twin) {
      problems.push(`${label}: public cell ${cellKey(cell)} is not in the regulator's answer`);
      continue;
    }
    const people = twin.figures!.beneficiariesReached;
    if (people >= 1 && people <= 9 && !cell.suppressed) problems.push(`${label}: cell ${cellKey(cell)} reached ${people} people and is shown`);
    if (!cell.suppressed && JSON.stringify(cell.figures) !== JSON.stringify(twin.figures)) problems.push(`${label}: cell ${cellKey(cell)} differs from the regulator's`);
  }
  return problems;
}

function row(item: Measured): string[] {
  const sorted = ascending(item.latencies);
  return [
    item.label,
    item.role,
    `${formatNumber(item.cells)} + ${formatNumber(item.margins)} + 1`,
    formatNumber(item.hidden),
    formatMs(percentile(sorted, 50)),
    formatMs(percentile(sorted, 95)),
    formatMs(percentile(sorted, 99)),
    formatMs(sorted.at(-1) ?? Number.NaN),
  ];
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const session = new BenchSession({
    title: 'Charity Ledger — disclosures benchmark',
    databasePrefix: 'cl_bench_disclosures',
    keep: options.keep,
    existingDatabase: options.database,
    settings: ['autovacuum', 'effective_cache_size', 'fsync', 'jit', 'max_parallel_workers_per_gather', 'shared_buffers', 'synchronous_commit', 'work_mem'],
    headerLines: [
      ['service', `DATABASE_POOL_SIZE=${process.env.DATABASE_POOL_SIZE || '10 (default)'}`],
      [
        'ledger',
        options.database
          ? `the ledger already in ${options.database}`
          : `${formatNumber(options.entries)} entries over ${CHARITIES} charities through the service's GraphQL append path (bench:trace's fund flow, dated over the past year); seed ${SEED}`,
      ],
      [
        'requests',
        `${GROUPINGS.map((grouping) => grouping.label).join(', ')}: ${WARMUP_REQUESTS} warm-up + ${formatNumber(options.requests)} measured each, public and regulator, 1 client`,
      ],
    ],
  });

  try {
    const { service, startSeconds } = await session.open();
    console.log(`service started in ${startSeconds.toFixed(1)} s (pid ${service.pid}): ${service.graphqlUrl}`);
    const { adminKey } = session;
    const client = session.graphqlClient(64);
    const database = await session.connect();
    const sample = async () => {
      const { rows } = await database.query('SELECT pid::text AS pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return snapshot(service.pid, (rows as Array<{ pid: string }>).map((item) => item.pid));
    };

    // ---- 1. build the ledger ---------------------------------------------------------
    const random = new SeededRandom(SEED);
    const latencies: LoadLatencies = { batches: [], singles: [] };
    const quotas = Array.from({ length: CHARITIES }, (_, index) => Math.floor(options.entries / CHARITIES) + (index < options.entries % CHARITIES ? 1 : 0));
    const reportEvery = Math.min(50_000, Math.max(1_000, Math.round(options.entries / 20 / 1_000) * 1_000));
    let total = 0;
    let nextReport = reportEvery;
    const historyEnd = Date.now() - 2 * 3_600_000;
    const historyStart = historyEnd - 365 * 86_400_000;
    let historyStartOverride: string | undefined;
    const clock = () => new Date(historyStart + (historyEnd - historyStart) * Math.min(1, total / options.entries));
    let loadStart = nowMs();
    const onEntries = (count: number) => {
      total += count;
      while (total >= nextReport) {
        const seconds = (nowMs() - loadStart) / 1_000;
        console.log(
          `  ${formatNumber(nextReport).padStart(11)} / ${formatNumber(options.entries)} entries  ${formatDuration(seconds).padStart(11)}  ` +
            `${formatNumber(total / seconds).padStart(6)} entries/s  ETA ${formatDuration((options.entries - total) / (total / seconds))}`,
        );
        nextReport += reportEvery;
      }
    };
    let acknowledged: number;
    let loadSeconds = 0;
    let loadCpu: CpuUse | undefined;
    if (options.database) {
      const [{ entries, first }] = (await database.query(`SELECT (SELECT count(*) FROM ledger_entry)::int AS entries, (SELECT min(occurred_on)::text FROM ledger_fact) AS first`)).rows as Array<{
        entries: number;
        first: string;
      }>;
      acknowledged = entries;
      historyStartOverride = first;
      console.log(`measuring again on ${options.database}: ${formatNumber(entries)} entries, facts from ${first}`);
    } else {
      const flows: CharityFlow[] = [];
      for (let ordinal = 1; ordinal <= CHARITIES; ordinal++) {
        const charity = await registerCharity(client, adminKey, ordinal, 'disclosures');
        flows.push(new CharityFlow(client, charity, ordinal, runTag, random, new ReceiptSample(1, new SeededRandom(SEED + 1)), latencies, clock, onEntries));
      }
      console.log(`building the ledger: ${formatNumber(options.entries)} entries, progress every ${formatNumber(reportEvery)} …`);
      loadStart = nowMs();
      const loadCpuStart = await sample();
      await runFlows(flows, quotas, GIFT_CALLERS_PER_CHARITY);
      loadSeconds = (nowMs() - loadStart) / 1_000;
      loadCpu = cpuUse(loadCpuStart, await sample());
      acknowledged = flows.reduce((sum, flow) => sum + flow.entries, 0);
      console.log(`built ${formatNumber(acknowledged)} entries in ${formatDuration(loadSeconds)}: ${formatNumber(acknowledged / loadSeconds)} entries/s`);
    }
    await database.query('CHECKPOINT');

    const sizes = (
      await database.query(
        `SELECT c.relname AS name, c.reltuples::float AS estimate, pg_total_relation_size(c.oid)::float AS bytes
           FROM pg_class c WHERE c.relname IN ('ledger_entry', 'ledger_fact', 'ledger_fact_day', 'ledger_fact_month', 'ledger_reach_day') ORDER BY pg_total_relation_size(c.oid) DESC`,
      )
    ).rows as Array<{ name: string; bytes: number }>;
    const tableRows: string[][] = [];
    for (const relation of sizes) {
      const [{ count }] = (await database.query(`SELECT count(*)::float AS count FROM ${relation.name}`)).rows as Array<{ count: number }>;
      tableRows.push([relation.name, formatNumber(count), formatBytes(relation.bytes)]);
    }
    const measures = (await database.query(`SELECT measure, count(*)::float AS facts FROM ledger_fact GROUP BY measure ORDER BY measure`)).rows as Array<{ measure: string; facts: number }>;

    // ---- 2. disclosures ---------------------------------------------------------------
    // the past year as Shenzhen dates, up to and including today (reversals are dated today)
    const from = historyStartOverride ?? chinaDate(new Date(historyStart));
    const tomorrow = chinaDate(new Date(Date.now() + 86_400_000));
    const yearOn = historyStartOverride ? `${Number(historyStartOverride.slice(0, 4)) + 1}${historyStartOverride.slice(4)}` : tomorrow;
    const to = yearOn < tomorrow ? yearOn : tomorrow;
    const regulator = await client.request<{ issueApiKey: { apiKey: string } }>(
      'issueApiKey',
      `mutation BenchRegulator { issueApiKey(input: { role: REGULATOR, label: "bench:disclosures" }) { apiKey } }`,
      {},
      adminKey,
    );
    const regulatorKey = regulator.data.issueApiKey.apiKey;
    // the first question after the start (the service loads its reach index while it starts; a question that comes first waits)
    const firstQuestion = await client.request<DisclosureAnswer>('disclosures', DISCLOSURES, { filter: { from, to }, groupBy: [] }, regulatorKey);
    console.log(`first question after the start: ${formatMs(firstQuestion.latencyMs)}`);
    const run = async (requests: number, phase: string) => {
      const results: Array<Measured & { last: DisclosureAnswer['disclosures'] }> = [];
      for (const grouping of GROUPINGS) {
        const variables = { filter: { from, to }, groupBy: grouping.groupBy };
        console.log(`${phase}: ${grouping.label} …`);
        results.push(await measure(client, grouping.label, 'public', variables, undefined, requests, sample));
        results.push(await measure(client, grouping.label, 'regulator', variables, regulatorKey, requests, sample));
      }
      return results;
    };
    const [{ unanalyzed }] = (
      await database.query(`SELECT count(*)::int AS unanalyzed FROM pg_stat_user_tables WHERE relname IN ('ledger_fact_day', 'ledger_fact_month', 'ledger_reach_day') AND n_mod_since_analyze > 0`)
    ).rows as Array<{ unanalyzed: number }>;
    const before = unanalyzed > 0 ? await run(Math.max(5, Math.round(options.requests / 4)), 'as loaded (no fresh statistics)') : undefined;
    const analyzeStart = nowMs();
    await database.query('ANALYZE ledger_fact_day');
    await database.query('ANALYZE ledger_fact_month');
    await database.query('ANALYZE ledger_reach_day');
    const analyzeSeconds = (nowMs() - analyzeStart) / 1_000;
    const after = await run(options.requests, 'after ANALYZE');

    // ---- 3. check the answers ---------------------------------------------------------
    const problems: string[] = [];
    for (let index = 0; index < after.length; index += 2) problems.push(...checkAnswers(after[index].label, after[index].last, after[index + 1].last));
    const [raw] = (
      await database.query(
        `SELECT coalesce(sum(amount) FILTER (WHERE measure = 'RECEIVED_CASH'), 0)::text AS cash,
                coalesce(sum(amount) FILTER (WHERE measure = 'SPENT'), 0)::text AS spent
           FROM ledger_fact WHERE occurred_on >= $1::date AND occurred_on < $2::date`,
        [from, to],
      )
    ).rows as Array<{ cash: string; spent: string }>;
    const [rawPeople] = (
      await database.query(
        `SELECT count(*)::int AS people FROM (SELECT pseudonym FROM ledger_fact WHERE measure = 'BENEFICIARY_REACHED' AND occurred_on >= $1::date AND occurred_on < $2::date
                                               GROUP BY pseudonym HAVING sum(quantity) > 0) AS reached`,
        [from, to],
      )
    ).rows as Array<{ people: number }>;
    const regulatorTotal = after[1].last.total.figures!;
    const fen = (amount: string) => BigInt(Math.round(Number(amount) * 100));
    if (fen(regulatorTotal.received.cash.amount) !== BigInt(raw.cash)) problems.push(`grand total received ${regulatorTotal.received.cash.amount}, ledger_fact says ${raw.cash} fen`);
    if (regulatorTotal.beneficiariesReached !== rawPeople.people) problems.push(`grand total people ${regulatorTotal.beneficiariesReached}, ledger_fact says ${rawPeople.people}`);

    // every people count of the regulator's answers equals the SQL reference over ledger_reach_day (the
    // previous way of counting, timed here for comparison)
    await database.query(`SET work_mem = '${FIGURES_WORK_MEM}'`);
    await database.query('SET max_parallel_workers_per_gather = 0');
    const referenceTimes: string[] = [];
    const FIELD_DIMENSION: Record<string, string> = { month: 'MONTH', quarter: 'QUARTER', projectCategory: 'PROJECT_CATEGORY', districtCode: 'DISTRICT', streetCode: 'STREET' };
    const signature = (groupedBy: string[], cell: Record<string, unknown>, people: number) =>
      JSON.stringify([[...groupedBy].sort(), ...Object.keys(FIELD_DIMENSION).map((field) => cell[field] ?? null), people]);
    for (let index = 0; index < after.length; index += 2) {
      const item = GROUPINGS.find((grouping) => grouping.label === after[index].label)!;
      const answer = after[index + 1].last;
      const answered = [...answer.cells, ...answer.margins, answer.total]
        .filter((cell) => cell.figures!.beneficiariesReached > 0)
        .map((cell) => signature(cell.groupedBy, cell as unknown as Record<string, unknown>, cell.figures!.beneficiariesReached))
        .sort();
      const reference = peopleReferenceQuery({ from, to }, groupingsOf(item.groupBy) as FigureDimension[][]);
      const started = nowMs();
      const { rows } = (await database.query(reference.sql, reference.params)) as { rows: Array<Record<string, string>> };
      referenceTimes.push(formatMs(nowMs() - started));
      const expected = rows
        .filter((row) => Number(row.beneficiaries_reached) > 0)
        .map((row) => {
          const set = reference.sets[reference.masks.indexOf(Number(row.g))];
          const cell = Object.fromEntries(set.map((key) => [reference.fields[key], row[`k${key}`] === '' ? null : row[`k${key}`]]));
          return signature(set.map((key) => FIELD_DIMENSION[reference.fields[key]]), cell, Number(row.beneficiaries_reached));
        })
        .sort();
      if (JSON.stringify(answered) !== JSON.stringify(expected)) problems.push(`${item.label}: the people counts differ from the SQL reference over ledger_reach_day`);
    }

    // the database's share: execution time of each grouping's money statement (the same for both roles), 3 runs
    const executions: string[][] = [];
    for (const item of GROUPINGS) {
      const statement = figuresQuery({ from, to }, groupingsOf(item.groupBy) as FigureDimension[][]);
      const times: number[] = [];
      for (let index = 0; index < 3; index++) {
        const { rows } = await database.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, statement.params);
        const [{ 'Execution Time': executionMs, 'Planning Time': planningMs }] = (rows[0] as { 'QUERY PLAN': Array<{ 'Execution Time': number; 'Planning Time': number }> })['QUERY PLAN'];
        times.push(executionMs + planningMs);
      }
      const sorted = ascending(times);
      executions.push([item.label, formatMs(sorted[0]), formatMs(sorted[1]), formatMs(sorted[2]), referenceTimes[GROUPINGS.indexOf(item)]]);
    }

    // the service's in-memory people count alone, in this process: its load from the
    // rollup, its size, and one count of each grouping with its margins (20 runs)
    const reachSource = new DataSource({ type: 'postgres', url: session.databaseUrl });
    await reachSource.initialize();
    const reach = new ReachIndex(reachSource);
    // the heap held, after a collection when node runs with --expose-gc (the npm script does)
    const collect = () => (globalThis as { gc?: () => void }).gc?.();
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const loadStarted = nowMs();
    await reach.sync();
    const reachLoadMs = nowMs() - loadStarted;
    collect();
    const reachHeap = process.memoryUsage().heapUsed - heapBefore;
    const reachSize = reach.size();
    const reachTimes: string[][] = [];
    for (const item of GROUPINGS) {
      const query = figuresQuery({ from, to }, groupingsOf(item.groupBy) as FigureDimension[][]);
      const keys = query.sets.map((set) => set.map((index) => query.fields[index] as ReachKey));
      const times: number[] = [];
      for (let index = 0; index < 20; index++) {
        const started = nowMs();
        reach.count(query.filter, keys);
        times.push(nowMs() - started);
      }
      const sorted = ascending(times);
      reachTimes.push([item.label, formatMs(percentile(sorted, 50)), formatMs(percentile(sorted, 95))]);
    }
    await reachSource.destroy();

    // EXPLAIN ANALYZE of the statement behind the slowest public grouping
    const slowest = after.filter((item) => item.role === 'public').sort((a, b) => percentile(ascending(b.latencies), 95) - percentile(ascending(a.latencies), 95))[0];
    const grouping = GROUPINGS.find((item) => item.label === slowest.label)!;
    const { sql, params } = figuresQuery({ from, to }, groupingsOf(grouping.groupBy) as FigureDimension[][]);
    const plan = (await database.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params)).rows as Array<{ 'QUERY PLAN': string }>;

    // ---- report -------------------------------------------------------------------------
    console.log('');
    if (!options.database) {
      console.log(`load: ${formatNumber(acknowledged)} entries in ${formatDuration(loadSeconds)} = ${formatNumber(acknowledged / loadSeconds)} entries/s`);
      console.log(`      CPU: ${cpuLine(loadCpu)}`);
    }
    console.log(table(['table', 'rows', 'size'], tableRows, new Set([1, 2])));
    console.log(`facts by measure: ${measures.map((item) => `${item.measure} ${formatNumber(item.facts)}`).join(', ')}`);
    console.log(`period: ${from} to ${to} (excluded); ANALYZE of the rollups took ${analyzeSeconds.toFixed(2)} s`);
    console.log('');
    const header = ['grouping', 'role', 'cells + margins + total', 'hidden', 'p50', 'p95', 'p99', 'max'];
    const right = new Set([2, 3, 4, 5, 6, 7]);
    if (before) {
      console.log(`Before ANALYZE (${formatNumber(before[0].latencies.length)} requests each)`);
      console.log(table(header, before.map(row), right));
      console.log('');
    }
    console.log(`After ANALYZE (${formatNumber(options.requests)} requests each)`);
    console.log(table(header, after.map(row), right));
    for (const item of after) console.log(`  CPU, ${item.label}, ${item.role}: ${cpuLine(item.cpu)}`);
    console.log('');
    console.log(`The money statement alone (EXPLAIN ANALYZE: planning + execution, as the service runs it: work_mem ${FIGURES_WORK_MEM}, no parallel workers; 3 runs),`);
    console.log('and the SQL reference count of people over ledger_reach_day (once, with the same settings; the service counts people in memory instead)');
    console.log(table(['grouping', 'fastest', 'median', 'slowest', 'SQL people count'], executions, new Set([1, 2, 3, 4])));
    console.log('');
    console.log(
      `The people count in memory alone (ReachIndex, loaded in this process: ${formatNumber(reachSize.people)} people, ${formatNumber(reachSize.rows)} rows, ` +
        `loaded in ${formatMs(reachLoadMs)}, heap +${formatBytes(reachHeap)}${(globalThis as { gc?: unknown }).gc ? '' : ' before garbage collection (run node with --expose-gc)'}; 20 runs)`,
    );
    console.log(table(['grouping', 'p50', 'p95'], reachTimes, new Set([1, 2])));
    console.log('');
    console.log(`EXPLAIN ANALYZE, ${slowest.label} with its margins (the public's slowest grouping):`);
    for (const line of plan) console.log(`    ${line['QUERY PLAN']}`);
    console.log('');
    console.log('Targets');
    for (const item of after) {
      const p95 = percentile(ascending(item.latencies), 95);
      console.log(`  ${p95 < TARGETS.p95Ms ? 'pass' : 'MISS'}  p95 < ${TARGETS.p95Ms} ms, ${item.label}, ${item.role}: ${formatMs(p95)}`);
    }
    if (problems.length > 0) {
      console.error(`\nERROR: ${problems.length} wrong answer(s):`);
      for (const problem of problems.slice(0, 20)) console.error(`  ${problem}`);
      return 1;
    }
    console.log('answers checked: public and regulator cells agree, every small cell hidden, grand total equals ledger_fact, every people count equals the SQL reference');
    return 0;
  } catch (error) {
    session.reportFailure(error);
    return 1;
  } finally {
    await session.close();
  }
}

runBench(main);
