/**
 * `npm run bench:verify`: how fast a 1,000,000-entry export is verified offline by
 * apps/verifier, beside the raw SHA-256 rate of the same bytes measured in the same
 * run; how long the service takes to stream the export; and how fast it answers
 * inclusion and consistency proofs at that size.
 *
 *   1. a fresh database; the built service applies the migrations, registers charities
 *   2. the service is stopped and the ledger bulk-loaded (bench/support/bulk-ledger.ts:
 *      ledger-core sealing, the sequencer's INSERT and the projector's Merkle nodes,
 *      every row checked by the database's triggers)
 *   3. the service starts again, signs a checkpoint, streams GET /export to a file
 *   4. raw SHA-256: of the whole file, and of each entry's canonical bytes alone
 *   5. `charity-ledger-verify export <file>` (the built CLI, as a user runs it), --runs times
 *   6. inclusionProof / consistencyProof over GraphQL, one at a time, random sizes
 *
 * Missed targets are reported, not failed; the exit code is non-zero only when
 * something went wrong. Options: --entries N (default 1,000,000), --charities N
 * (default 20), --runs N (verifier runs, default 3), --proofs N (per kind, default
 * 2,000), --keep (keep the database and the export file).
 */
import { execFile } from 'node:child_process';
import { createHash, hash, randomInt } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { assembleProof, consistencyProofPlan, inclusionProofPlan, planNodeIds, type MerkleProofPlan } from '@charity-ledger/ledger-core';
import { nodeKey, readNodes, type QueryRunnerFunction } from '../apps/api/src/transparency/merkle-tree.store.js';
import { BenchSession, runBench } from './support/bench-session.js';
import { bulkLoad, type BulkCharity } from './support/bulk-ledger.js';
import type { GraphQLClient } from './support/graphql-client.js';
import { registerCharity } from './support/ledger-api.js';
import { ascending, formatMs, formatNumber, percentile, table } from './support/stats.js';

const BATCH_SIZE = 5_000;
const TARGETS = { verifyRatio: 0.5, proofP95Ms: 5 };

interface Options {
  entries: number;
  charities: number;
  runs: number;
  proofs: number;
  keep: boolean;
}

const USAGE = 'usage: npm run bench:verify -- [--entries N] [--charities N] [--runs N] [--proofs N] [--keep]';

function parseOptions(argv: string[]): Options {
  const options: Options = { entries: 1_000_000, charities: 20, runs: 3, proofs: 2_000, keep: false };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--keep') options.keep = true;
    else if (argument === '--help' || argument === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else {
      const match = /^--(entries|charities|runs|proofs)(?:=(.*))?$/.exec(argument);
      if (!match) throw new Error(`unknown argument "${argument}" (${USAGE})`);
      const raw = match[2] ?? argv[++index];
      const value = Number(raw);
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${match[1]} needs a whole number ≥ 1, got "${raw}"`);
      options[match[1] as 'entries' | 'charities' | 'runs' | 'proofs'] = value;
    }
  }
  return options;
}

const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;

/** SHA-256 of the whole file, streamed (the file is read once before, so both measurements read from the page cache). */
async function hashFile(file: string): Promise<number> {
  const started = process.hrtime.bigint();
  const digest = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 << 20 })) digest.update(chunk as Buffer);
  digest.digest();
  return seconds(started);
}

/**
 * SHA-256 of every entry's canonical bytes on their own, one call each — the hashing
 * no verifier can skip. The bytes are taken out of the export first, a slice at a
 * time, and only the hashing is timed.
 */
async function hashEntries(file: string): Promise<{ seconds: number; entries: number; bytes: number }> {
  let total = 0;
  let entries = 0;
  let bytes = 0;
  let pending: Buffer[] = [];
  const flush = () => {
    const started = process.hrtime.bigint();
    for (const canonical of pending) hash('sha256', canonical, 'hex');
    total += seconds(started);
    entries += pending.length;
    pending = [];
  };
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 4 << 20 })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{"kind":"entry"')) continue;
      const canonical = Buffer.from((JSON.parse(line) as { canonicalJson: string }).canonicalJson, 'utf8');
      bytes += canonical.length;
      pending.push(canonical);
    }
    if (pending.length >= 100_000) flush();
  }
  flush();
  return { seconds: total, entries, bytes };
}

interface VerifierResult {
  ok: boolean;
  entries: number;
  seconds: number;
  entriesPerSecond: number;
  failure: unknown;
}

function runVerifier(verifierPath: string, file: string, keysUrl: string): Promise<{ result: VerifierResult; wallSeconds: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [verifierPath, 'export', file, '--keys', keysUrl, '--json', '--no-progress'], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const wallSeconds = seconds(started);
      let result: VerifierResult;
      try {
        result = JSON.parse(stdout) as VerifierResult;
      } catch {
        reject(new Error(`the verifier printed no result (${error ? String(error) : 'exit 0'}):\n${stderr}`));
        return;
      }
      if (!result.ok) reject(new Error(`the export did not verify: ${JSON.stringify(result.failure)}`));
      else resolve({ result, wallSeconds });
    });
  });
}

async function proofLatencies(client: GraphQLClient, treeSize: number, count: number): Promise<{ inclusion: number[]; consistency: number[]; baseline: number[] }> {
  const inclusion: number[] = [];
  const consistency: number[] = [];
  const baseline: number[] = [];
  const query = {
    inclusion: 'query BenchInclusion($position: Int!, $treeSize: Int!) { inclusionProof(position: $position, treeSize: $treeSize) }',
    consistency: 'query BenchConsistency($fromSize: Int!, $toSize: Int!) { consistencyProof(fromSize: $fromSize, toSize: $toSize) }',
  };
  // warm-up: connections, plans, caches
  for (let index = 0; index < 50; index++) {
    await client.request('inclusionProof', query.inclusion, { position: randomInt(1, treeSize + 1), treeSize });
  }
  for (let index = 0; index < count; index++) {
    // half at the checkpoint's size, half at a random older size, as verifiers ask
    const size = index % 2 === 0 ? treeSize : randomInt(1, treeSize + 1);
    const { latencyMs: a } = await client.request('inclusionProof', query.inclusion, { position: randomInt(1, size + 1), treeSize: size });
    inclusion.push(a);
    const { latencyMs: b } = await client.request('consistencyProof', query.consistency, { fromSize: randomInt(1, size + 1), toSize: size });
    consistency.push(b);
    // what any GraphQL request costs here, for comparison
    baseline.push((await client.request('typename', '{ __typename }', {})).latencyMs);
  }
  return { inclusion: ascending(inclusion), consistency: ascending(consistency), baseline: ascending(baseline) };
}

/**
 * The service's own proof path without GraphQL and HTTP: ledger-core's plan, one
 * read of the stored nodes (the same statement, prepared, as the service's role),
 * ledger-core's assembly. This is proof generation proper.
 */
async function generationTimes(databaseUrl: string, treeSize: number, count: number): Promise<{ inclusion: number[]; consistency: number[] }> {
  const connection = new pg.Client({ connectionString: databaseUrl, options: '-c role=charity_ledger_app' });
  await connection.connect();
  const query: QueryRunnerFunction = async <Row extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
    (await connection.query<Row>({ name: 'bench-merkle-nodes', text: sql, values: params })).rows;
  const generate = async (plan: MerkleProofPlan): Promise<number> => {
    const started = process.hrtime.bigint();
    const found = await readNodes(query, planNodeIds(plan));
    assembleProof(plan, (level, index) => found.get(nodeKey(level, index))!);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  try {
    for (let index = 0; index < 50; index++) await generate(inclusionProofPlan(randomInt(0, treeSize), treeSize));
    const inclusion: number[] = [];
    const consistency: number[] = [];
    for (let index = 0; index < count; index++) {
      const size = index % 2 === 0 ? treeSize : randomInt(1, treeSize + 1);
      inclusion.push(await generate(inclusionProofPlan(randomInt(0, size), size)));
      consistency.push(await generate(consistencyProofPlan(randomInt(1, size + 1), size)));
    }
    return { inclusion: ascending(inclusion), consistency: ascending(consistency) };
  } finally {
    await connection.end();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const verifierPath = fileURLToPath(new URL('../apps/verifier/src/main.js', import.meta.url));
  const work = await mkdtemp(path.join(os.tmpdir(), 'cl-bench-verify-'));
  const exportFile = path.join(work, 'export.ndjson');
  const session = new BenchSession({
    title: 'Charity Ledger — verification benchmark',
    databasePrefix: 'cl_bench_verify',
    keep: options.keep,
    headerLines: [['entries', `${formatNumber(options.entries)} over ${options.charities} charities`]],
    serviceEnv: {
      DATA_DIR: work,
      // only the checkpoint the benchmark asks for
      CHECKPOINT_EVERY_ENTRIES: '10000000',
      CHECKPOINT_INTERVAL_SECONDS: '86400',
    },
    keptAlso: exportFile,
    onClose: async () => {
      if (!options.keep) await rm(work, { recursive: true, force: true });
    },
  });
  const { databaseUrl, adminKey } = session;

  try {
    // 1. schema and charities, through the service itself
    await session.open();
    let client = session.graphqlClient(4);
    const registered = [];
    for (let ordinal = 1; ordinal <= options.charities; ordinal++) registered.push(await registerCharity(client, adminKey, ordinal, 'verify'));
    await session.stopService();

    // 2. bulk load
    const owner = await session.connect();
    const keys = (await owner.query('SELECT id, charity_id FROM api_key WHERE charity_id IS NOT NULL')).rows as Array<{ id: string; charity_id: string }>;
    const charities: BulkCharity[] = registered.map((charity) => ({
      id: charity.id,
      name: charity.name,
      actorKeyId: keys.find((key) => key.charity_id === charity.id)!.id,
    }));
    const loadStarted = process.hrtime.bigint();
    let lastReport = 0;
    await bulkLoad(owner, charities, options.entries, BATCH_SIZE, (loaded) => {
      if (process.stderr.isTTY && loaded - lastReport >= 50_000) {
        lastReport = loaded;
        process.stderr.write(`\r  loading: ${formatNumber(loaded)} of ${formatNumber(options.entries)} entries …`);
      }
    });
    const loadSeconds = seconds(loadStarted);
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    await owner.query('VACUUM ANALYZE ledger_entry');
    await owner.query('VACUUM ANALYZE merkle_node');

    // 3. checkpoint and export, from the service
    const { service, startSeconds: restartSeconds } = await session.startService();
    client.close();
    client = session.graphqlClient(4);
    const baseUrl = service.graphqlUrl.replace(/\/graphql$/, '');
    const { data } = await client.request<{ publishCheckpoint: { treeSize: number; rootHash: string } }>(
      'publishCheckpoint',
      'mutation { publishCheckpoint { treeSize rootHash } }',
      {},
      adminKey,
    );
    if (data.publishCheckpoint.treeSize !== options.entries) throw new Error(`checkpoint of ${data.publishCheckpoint.treeSize} entries, expected ${options.entries}`);
    const exportStarted = process.hrtime.bigint();
    const response = await fetch(`${baseUrl}/export`);
    if (!response.ok || !response.body) throw new Error(`GET /export answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(exportFile));
    const exportSeconds = seconds(exportStarted);
    const exportBytes = (await stat(exportFile)).size;

    // 4. raw SHA-256 of the same bytes (a first read warms the page cache for both)
    await hashFile(exportFile);
    const fileHashSeconds = Math.min(await hashFile(exportFile), await hashFile(exportFile));
    const perEntry = await hashEntries(exportFile);

    // 5. the verifier, as a user runs it
    const keysUrl = `${baseUrl}/.well-known/charity-ledger/keys`;
    const runs: Array<{ result: VerifierResult; wallSeconds: number }> = [];
    for (let run = 0; run < options.runs; run++) runs.push(await runVerifier(verifierPath, exportFile, keysUrl));
    const rates = runs.map((run) => run.result.entriesPerSecond).sort((a, b) => a - b);
    const verifyRate = rates[Math.floor(rates.length / 2)];

    // 6. proofs at this size: generation, then over GraphQL
    const generation = await generationTimes(databaseUrl, options.entries, options.proofs);
    const latencies = await proofLatencies(client, options.entries, options.proofs);

    const fileRate = options.entries / fileHashSeconds;
    const entryRate = perEntry.entries / perEntry.seconds;
    const ratio = verifyRate / fileRate;
    const entryRatio = verifyRate / entryRate;
    console.log(
      table(
        ['measurement', 'figure', 'rate'],
        [
          ['bulk load (entries + Merkle nodes, database checks on)', `${loadSeconds.toFixed(1)} s`, `${formatNumber(options.entries / loadSeconds)} entries/s`],
          ['service restart at this size', `${restartSeconds.toFixed(1)} s`, ''],
          ['GET /export streamed to a file', `${(exportBytes / 2 ** 20).toFixed(0)} MiB in ${exportSeconds.toFixed(1)} s`, `${formatNumber(options.entries / exportSeconds)} entries/s`],
          ['SHA-256 of the export file (streamed)', `${fileHashSeconds.toFixed(2)} s`, `${formatNumber(fileRate)} entries/s (${formatNumber(exportBytes / fileHashSeconds / 2 ** 20)} MiB/s)`],
          ['SHA-256 of each entry’s canonical bytes', `${perEntry.seconds.toFixed(2)} s`, `${formatNumber(entryRate)} entries/s (${formatNumber(perEntry.bytes / perEntry.entries)} bytes each)`],
          ...runs.map((run, index): string[] => [
            `verify export, run ${index + 1}`,
            `${run.result.seconds.toFixed(2)} s (${run.wallSeconds.toFixed(2)} s with start-up)`,
            `${formatNumber(run.result.entriesPerSecond)} entries/s`,
          ]),
        ],
        new Set([1, 2]),
      ),
    );
    console.log('');
    const proofRow = (label: string, samples: number[]): string[] => [
      label,
      formatNumber(samples.length),
      formatMs(percentile(samples, 50)),
      formatMs(percentile(samples, 95)),
      formatMs(percentile(samples, 99)),
      formatMs(samples.at(-1)!),
    ];
    console.log(
      table(
        [`proofs at ${formatNumber(options.entries)} entries, one at a time`, 'n', 'p50', 'p95', 'p99', 'max'],
        [
          proofRow('inclusion, generated (plan + one read + assembly)', generation.inclusion),
          proofRow('consistency, generated', generation.consistency),
          proofRow('inclusionProof over GraphQL/HTTP', latencies.inclusion),
          proofRow('consistencyProof over GraphQL/HTTP', latencies.consistency),
          proofRow('{ __typename } over GraphQL/HTTP (reference)', latencies.baseline),
        ],
        new Set([1, 2, 3, 4, 5]),
      ),
    );
    const p95 = Math.max(percentile(generation.inclusion, 95), percentile(generation.consistency, 95));
    const httpP95 = Math.max(percentile(latencies.inclusion, 95), percentile(latencies.consistency, 95));
    console.log('\nTargets');
    console.log(`  ${ratio >= TARGETS.verifyRatio ? 'pass' : 'MISS'}  verification ÷ SHA-256 of the same bytes ≥ ${TARGETS.verifyRatio}: ${ratio.toFixed(2)} (÷ per-entry SHA-256 of the canonical bytes: ${entryRatio.toFixed(2)})`);
    console.log(`  ${p95 < TARGETS.proofP95Ms ? 'pass' : 'MISS'}  proof generation p95 < ${TARGETS.proofP95Ms} ms at ${formatNumber(options.entries)} entries: ${formatMs(p95)}`);
    console.log(`  ${httpP95 < TARGETS.proofP95Ms ? 'pass' : 'MISS'}  (stricter) the same over GraphQL/HTTP, request to answer: ${formatMs(httpP95)}`);
    return 0;
  } finally {
    await session.close();
  }
}

runBench(main);
