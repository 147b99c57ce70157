import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { GraphQLClient } from './graphql-client.js';
import { formatBytes, redact, sourceVersion, withDatabase } from './report.js';
import { startService, type RunningService } from './service-process.js';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVICE_MAIN = fileURLToPath(new URL('../../apps/api/src/main.js', import.meta.url));

export interface BenchSessionOptions {
  /** The report's first line. */
  title: string;
  /** The fresh database is named `<prefix>_<milliseconds since 1970>`. */
  databasePrefix: string;
  /** --keep: the database (and keptAlso) stay after the run. */
  keep: boolean;
  /** Server settings shown under the version, in this order, with the other sessions; none, no such line. */
  settings?: readonly string[];
  /** The benchmark's own header lines after `source:`, as [label, value]. */
  headerLines?: ReadonlyArray<readonly [string, string]>;
  /** Added to the service's environment. */
  serviceEnv?: NodeJS.ProcessEnv;
  /** What else --keep keeps, named in the closing line instead of the database's URL. */
  keptAlso?: string;
  /** Runs last in close(), also on a signal: the benchmark's own clean-up. */
  onClose?: () => Promise<void>;
  /** Use this database (e.g. one kept by an earlier --keep run) instead of a fresh one; it is never dropped. */
  existingDatabase?: string;
}

const headerLine = (label: string, value: string) => `  ${`${label}:`.padEnd(13)}${value}`;

/**
 * What every benchmark runs in: a fresh database on BENCH_DATABASE_URL's server, the
 * built service on it as a child process, and one clean-up for the normal end, a
 * failure and Ctrl-C alike. Create it before the benchmark's `try`, `open()` inside,
 * `close()` in its `finally`, so that a failure is reported before the clean-up speaks.
 */
export class BenchSession {
  readonly admin: pg.Client;
  readonly databaseName: string;
  readonly databaseUrl: string;
  readonly adminKey = randomBytes(36).toString('base64url');
  private readonly adminUrl: string;
  private readonly env: NodeJS.ProcessEnv;
  private running: RunningService | undefined;
  private started: RunningService | undefined;
  private starting: Promise<RunningService> | undefined;
  private readonly graphqlClients: GraphQLClient[] = [];
  private readonly connections: pg.Client[] = [];
  private created = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: BenchSessionOptions) {
    this.adminUrl = process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL;
    this.databaseName = options.existingDatabase ?? `${options.databasePrefix}_${Date.now()}`;
    this.databaseUrl = withDatabase(this.adminUrl, this.databaseName);
    this.admin = new pg.Client({ connectionString: this.adminUrl });
    this.env = {
      ...process.env,
      ...options.serviceEnv,
      DATABASE_URL: this.databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: this.adminKey,
    };
    // the service would migrate that database instead of the fresh one
    delete this.env.DATABASE_MIGRATION_URL;
    // `once`: a second Ctrl-C ends the process at once, should the clean-up hang
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping the service${options.keep ? '' : ` and dropping ${this.databaseName}`} …`);
        void this.close().finally(() => process.exit(130));
      });
    }
  }

  /** The service started last, if any; it may have stopped since (its recent errors still tell why). */
  get service(): RunningService | undefined {
    return this.started;
  }

  /** Connects, creates the database, prints the header, starts the service. */
  async open(): Promise<{ service: RunningService; startSeconds: number }> {
    await this.admin.connect().catch((error: unknown) => {
      throw new Error(`cannot connect to ${redact(this.adminUrl)} (set BENCH_DATABASE_URL to a superuser URL): ${String(error)}`);
    });
    const [{ version }] = (await this.admin.query('SELECT version()')).rows as Array<{ version: string }>;
    const settings = this.options.settings?.length ? await this.serverSettings(this.options.settings) : undefined;
    if (!this.options.existingDatabase) {
      await this.admin.query(`CREATE DATABASE ${this.databaseName}`);
      this.created = true;
    }

    const cpus = os.cpus();
    const lines = [
      this.options.title,
      headerLine('date', new Date().toISOString()),
      headerLine('node', `${process.version} (${os.platform()} ${os.release()})`),
      headerLine('CPU', `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`),
      headerLine('memory', `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os.loadavg().map((load) => load.toFixed(2)).join(' ')}`),
      headerLine('PostgreSQL', version),
      ...(settings ? [`${' '.repeat(15)}${settings}`] : []),
      headerLine('database', `${redact(this.databaseUrl)} (${this.options.existingDatabase ? 'existing, kept' : `fresh; ${this.options.keep ? 'kept' : 'dropped'} at the end`})`),
      headerLine('source', sourceVersion(REPOSITORY_ROOT)),
      ...(this.options.headerLines ?? []).map(([label, value]) => headerLine(label, value)),
      '',
    ];
    for (const line of lines) console.log(line);

    return this.startService();
  }

  /** Starts the service on the session's database (again, after stopService). */
  async startService(): Promise<{ service: RunningService; startSeconds: number }> {
    // a service started after the clean-up began would outlive the run
    if (this.closing) throw new Error('the benchmark is stopping');
    if (this.running) throw new Error(`the service is already running (pid ${this.running.pid})`);
    const started = process.hrtime.bigint();
    this.starting = startService(SERVICE_MAIN, this.env, REPOSITORY_ROOT);
    try {
      this.running = this.started = await this.starting;
    } finally {
      this.starting = undefined;
    }
    return { service: this.running, startSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }

  async stopService(): Promise<void> {
    const service = this.running;
    this.running = undefined;
    if (!service) return;
    const code = await service.stop();
    if (code !== 0) console.error(`the service exited with code ${code} on SIGTERM`);
  }

  /** A client of the running service's GraphQL endpoint, closed with the session. */
  graphqlClient(maxSockets: number): GraphQLClient {
    if (!this.running) throw new Error('the service is not running');
    const client = new GraphQLClient(this.running.graphqlUrl, maxSockets);
    this.graphqlClients.push(client);
    return client;
  }

  /** A connection to the session's database as its owner, ended with the session. */
  async connect(): Promise<pg.Client> {
    const connection = new pg.Client({ connectionString: this.databaseUrl });
    this.connections.push(connection);
    await connection.connect();
    return connection;
  }

  /** Idempotent: the normal end, a failure and a signal may all call it, and share one clean-up. */
  /**
   * Says why the benchmark failed — before the clean-up, whose own messages would
   * otherwise bury it — with the service's last errors and where the data is.
   */
  reportFailure(error: unknown): void {
    console.error(`\nERROR: ${describeError(error)}`);
    for (const line of this.service?.recentErrors().slice(-10) ?? []) console.error(`  [service] ${line}`);
    if (!this.options.keep) console.error(`(run with --keep to keep database ${this.databaseName} for a look)`);
  }

  close(): Promise<void> {
    return (this.closing ??= this.cleanUp());
  }

  private async cleanUp(): Promise<void> {
    for (const client of this.graphqlClients) client.close();
    // a signal during start-up: let the start finish, then stop what it started
    if (this.starting) this.running = await this.starting.catch(() => undefined);
    await this.stopService();
    for (const connection of this.connections) await connection.end().catch(() => undefined);
    if (this.created) {
      if (!this.options.keep) await this.admin.query(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`);
      else console.log(`kept database ${this.databaseName} ${this.options.keptAlso ? `and ${this.options.keptAlso}` : `(${redact(this.databaseUrl)})`}`);
    }
    await this.admin.end().catch(() => undefined);
    await this.options.onClose?.();
  }

  /** `name=value, …; other client sessions at start: N` — other work on the server skews every figure: say so up front. */
  private async serverSettings(names: readonly string[]): Promise<string> {
    const { rows } = await this.admin.query(`SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])`, [names]);
    const values = new Map(
      (rows as Array<{ name: string; setting: string; unit: string | null }>).map((row) => [
        row.name,
        row.unit === '8kB' ? formatBytes(Number(row.setting) * 8_192) : row.unit === 'kB' ? formatBytes(Number(row.setting) * 1_024) : row.setting,
      ]),
    );
    const [{ sessions }] = (
      await this.admin.query(`SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`)
    ).rows as Array<{ sessions: number }>;
    return `${names.map((name) => `${name}=${values.get(name)}`).join(', ')}; other client sessions at start: ${sessions}`;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a benchmark's main and exits with its code (1 on an error it did not catch). */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`\nERROR: ${describeError(error)}`);
      process.exit(1);
    },
  );
}
