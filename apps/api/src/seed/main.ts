import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { formatAmount } from '@charity-ledger/ledger-core';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { EmbeddedDatabaseError } from '../database/embedded-postgres.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { createService, type Service } from '../service.js';
import { MAJOR_ILLNESS } from './demo-catalogue.js';
import { demoCharities, planCharity, planFingerprint, plantedDuplicates, type CharityPlan, type DemoMedia, type DemoOptions } from './demo-plan.js';
import { DemoStopped, runDemo, serviceTarget, type GraphQLAnswer, type SeededCharity } from './demo-runner.js';

/**
 * `npm run seed:demo`: fills the database the service uses (DATABASE_URL, or the
 * embedded one under DATA_DIR, as `npm start` does) with the demo's 2024, through
 * the service's own GraphQL append path. See README.md ("Demo data") and
 * docs/demo-data.md.
 */

const number = (text: string) => Number(text.replace(/[_,]/g, ''));

function wholeNumber(minimum: number) {
  return (text: string) => {
    const value = number(text);
    if (!Number.isSafeInteger(value) || value < minimum) throw new InvalidArgumentError(`needs a whole number of at least ${minimum}`);
    return value;
  };
}

function fraction(text: string): number {
  const value = number(text);
  if (!(value > 0 && value <= 1)) throw new InvalidArgumentError('needs a number greater than 0 and at most 1, e.g. 0.05');
  return value;
}

const thousands = (value: number) => value.toLocaleString('en-US');
const money = (minorUnits: number) => `¥${Number(formatAmount({ currency: 'CNY', minorUnits })).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

interface CliOptions {
  seed: string;
  scale: number;
  entries?: number;
  volume: number;
  concurrency: number;
  verify: boolean;
  dryRun: boolean;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('seed:demo')
    .description('Fills the database with a reproducible demo year (2024) of six Shenzhen charities, through the service’s own GraphQL append path.')
    .option('--seed <text>', 'seed of the demo: the same seed writes the same entries', 'demo-2024')
    .option('--scale <n>', 'copies of the six charities (each copy in other districts)', wholeNumber(1), 1)
    .option('--entries <n>', 'grow to about n entries by adding copies (for benchmarks; sets --scale)', wholeNumber(1))
    .option('--volume <f>', 'fraction of each charity’s year, for a quick demo (the major-illness fund is exact only at 1)', fraction, 1)
    .option('--concurrency <n>', 'charities written at once', wholeNumber(1), 8)
    .option('--no-verify', 'skip verifying every chain at the end')
    .option('--dry-run', 'plan and print the figures without writing anything')
    .showHelpAfterError();
  const cli = program.parse(argv).opts<CliOptions>();
  const options: DemoOptions = { seed: cli.seed, scale: cli.scale, volume: cli.volume };

  const planStarted = Date.now();
  if (cli.entries !== undefined) {
    const perCopy = sumEntries(demoCharities({ ...options, scale: 1 }).map((spec) => planCharity({ ...options, scale: 1 }, spec)));
    options.scale = Math.max(1, Math.round(cli.entries / perCopy));
  }
  const specs = demoCharities(options);
  const plans: CharityPlan[] = [];
  let total = 0;
  for (const spec of specs) {
    const plan = planCharity(options, spec);
    total += plan.facts.entries;
    // the plans of a big run are made again while writing, rather than all held at once
    if (options.scale <= 4) plans.push(plan);
  }
  const fingerprint = options.scale <= 4 ? planFingerprint(plans) : 'not computed above --scale 4';
  process.stdout.write(
    `Demo plan: seed "${options.seed}", scale ${options.scale}, volume ${options.volume}: ${thousands(total)} entries on ${specs.length} charities ` +
      `(planned in ${duration((Date.now() - planStarted) / 1000)}; plan fingerprint ${fingerprint}).\n`,
  );
  if (cli.dryRun) return;

  const config = loadConfig(process.env, { port: 0, host: '127.0.0.1', ...(process.env.LOG_LEVEL ? {} : { logLevel: 'warn' as const }) });
  const service = await createService(config);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.once(signal, () => {
      stopping = true;
      process.stderr.write(`\n${signal}: finishing the requests in flight, then stopping. Run the same command again to go on where it stopped.\n`);
    });
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'seeding |{bar}| {percentage}% {value}/{total} entries, {charities} charities done, {rate}/s, ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 200,
      fps: 5,
      // in a log (not a terminal), a line every 15 s
      noTTYOutput: true,
      notTTYSchedule: 15_000,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let seeded: SeededCharity[] = [];
  try {
    await service.app.listen(0, '127.0.0.1');
    const { port } = service.app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const target = serviceTarget(service.app, graphqlOver(`${base}/graphql`), uploadOver(`${base}/media`));
    let done = 0;
    let written = 0;
    bar.start(total, 0, { charities: 0, rate: 0 });
    seeded = await runDemo(options, specs, target, {
      concurrency: cli.concurrency,
      stopped: () => stopping,
      onEntries: (count) => {
        written += count;
        bar.increment(count, { rate: Math.round(written / Math.max(0.001, (Date.now() - started) / 1000)) });
      },
      onCharity: () => bar.update({ charities: ++done }),
    });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `\nWrote ${thousands(total)} entries on ${seeded.length} charities in ${duration(seconds)} (${thousands(Math.round(total / seconds))} entries/s)` +
        `${seeded.some((charity) => charity.resumed) ? ', going on from an earlier run' : ''}. Database: ${service.databaseDescription}\n`,
    );
    if (cli.verify) await verifyChains(service, seeded);
    report(options, seeded);
  } catch (error) {
    bar.stop();
    if (error instanceof DemoStopped && stopping) process.stderr.write('Stopped. Run the same command again to go on.\n');
    else throw error;
  } finally {
    await service.close();
  }
}

function sumEntries(plans: CharityPlan[]): number {
  return plans.reduce((sum, plan) => sum + plan.facts.entries, 0);
}

/** GraphQL over HTTP to the seed's own server; a request that got no answer is sent again with the same idempotency keys. */
function graphqlOver(url: string) {
  return async (query: string, variables: Record<string, unknown>, apiKey: string): Promise<GraphQLAnswer> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as GraphQLAnswer;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };
}

/** POST /media as multipart/form-data, as a charity's browser would. */
function uploadOver(url: string) {
  return async (media: DemoMedia, apiKey: string): Promise<string> => {
    const form = new FormData();
    form.append('file', new Blob([media.bytes], { type: media.contentType }), media.fileName);
    const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
    const body = (await response.json()) as { sha256?: string };
    if (!response.ok || !body.sha256) throw new Error(`uploading ${media.fileName} failed: HTTP ${response.status} ${JSON.stringify(body)}`);
    return body.sha256;
  };
}

async function verifyChains(service: Service, seeded: SeededCharity[]): Promise<void> {
  const ledger = service.app.get(LedgerService);
  const started = Date.now();
  for (const charity of seeded) {
    const verification = await ledger.verifyChain(charity.id);
    if (!verification.valid) throw new Error(`the chain of ${charity.spec.name} does not verify: ${verification.reason} at sequence ${verification.firstInvalidSequence}`);
  }
  process.stdout.write(`Every chain verifies (${seeded.length} charities, ${duration((Date.now() - started) / 1000)}).\n`);
}

function report(options: DemoOptions, seeded: SeededCharity[]): void {
  const lines: string[] = ['', 'Charities (the first six; copies with --scale are alike):'];
  for (const charity of seeded.filter((candidate) => candidate.spec.replica === 0)) {
    const facts = charity.facts;
    const grants = Object.values(facts.grants).reduce((sum, total) => ({ count: sum.count + total.count, minorUnits: sum.minorUnits + total.minorUnits }), { count: 0, minorUnits: 0 });
    lines.push(
      `  ${charity.spec.label}  ${charity.id}  ${charity.spec.name}  ${charity.spec.kind}  ${charity.spec.district}`,
      `      ${thousands(facts.entries)} entries: ${thousands(facts.gifts)} gifts ${money(facts.giftsMinor)}, ${facts.inKindGifts} in kind, ` +
        `${thousands(facts.enrolled)} people enrolled, ${thousands(grants.count)} cash grants ${money(grants.minorUnits)}, ${thousands(facts.goodsDeliveries)} goods deliveries, ` +
        `${facts.reports} progress reports, ${facts.reversals} reversals, ${facts.refunds} refunds`,
    );
  }
  const fund = seeded.find((charity) => charity.spec.label === MAJOR_ILLNESS.label);
  if (fund) {
    const grants = fund.facts.grants[MAJOR_ILLNESS.projectId];
    lines.push(
      '',
      `Major-illness relief fund: ${fund.spec.name}, project ${MAJOR_ILLNESS.projectId}: ${thousands(grants.count)} grants in 2024, ${money(grants.minorUnits)} in total.`,
      `  charityId ${fund.id}; its first grant is sequence ${fund.facts.firstGrantSequence} (try traceEntry on it).`,
    );
  }
  const byLabel = new Map(seeded.map((charity) => [charity.spec.label, charity]));
  const duplicates = plantedDuplicates(options);
  if (duplicates.every((duplicate) => Object.keys(duplicate.projects).every((label) => byLabel.has(label)))) {
    lines.push('', `Planted cross-charity duplicates (${duplicates[0].category}, 2024): what duplicateAidReport must find, and nothing else:`);
    for (const duplicate of duplicates) {
      const [first] = Object.keys(duplicate.projects);
      const pseudonym = byLabel.get(first)!.people.get(duplicate.personId)?.pseudonym ?? '(not enrolled)';
      lines.push(`  ${pseudonym}  ${Object.entries(duplicate.projects).map(([label, projectId]) => `${byLabel.get(label)!.spec.name} ${projectId}`).join(' + ')}`);
    }
  }
  lines.push('', 'Start the service (npm start) and try the queries in README.md, "Demo data"; the IATI file of a charity is at /iati/<charity id>.xml.', '');
  process.stdout.write(lines.join('\n'));
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`seed:demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
