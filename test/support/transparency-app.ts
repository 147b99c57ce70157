import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config.js';
import { createService } from '../../apps/api/src/service.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { overHttp, type TestApp } from './test-app.js';

// Helpers of the transparency and verifier e2e tests: the real service listening on
// a port (the verifier CLI talks to it over HTTP), with its own data and publish
// directories, and the built verifier run as a process.

export interface TransparencyApp extends TestApp {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  dataDir: string;
  config: AppConfig;
  /** Stops the service but keeps the database and the directories (for a restart). */
  stop(): Promise<void>;
}

export interface TransparencyAppOptions {
  /** Reuse a database (a restart, or a second instance); otherwise a fresh one. */
  db?: TestDatabase;
  /** Reuse a data directory; otherwise a fresh temporary one. */
  dataDir?: string;
  /** Reuse an admin key (with a reused database). */
  adminKey?: string;
  settings?: Partial<AppConfig>;
}

/** A 32-byte key (base64) of one test database, the same for each instance started on it. */
function databaseKey(db: TestDatabase, purpose: string): string {
  return createHash('sha256').update(`${db.name}/${purpose}`).digest('base64');
}

export async function startTransparencyApp(options: TransparencyAppOptions = {}): Promise<TransparencyApp> {
  const db = options.db ?? (await createTestDatabase(false));
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'cl-transparency-')));
  const adminKey = options.adminKey ?? `test-admin-${randomBytes(24).toString('hex')}`;
  const config = loadConfig(
    {},
    {
      databaseUrl: db.ownerUrl,
      adminApiKey: adminKey,
      logLevel: 'error',
      dataDir,
      // no checkpoint on its own during a test unless a test asks for one
      checkpointIntervalSeconds: 3600,
      checkpointEveryEntries: 1_000_000,
      // every instance of one database shares its platform keys, as docs/operations.md asks
      beneficiaryPseudonymKey: databaseKey(db, 'pseudonym'),
      beneficiaryKeyEncryptionKey: databaseKey(db, 'key-encryption'),
      ...options.settings,
    },
  );
  const service = await createService(config);
  await service.app.listen(0, '127.0.0.1');
  await service.ensureAdminKey();
  const server = service.app.getHttpServer();
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await service.close();
  };
  return {
    service,
    db,
    adminKey,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    config,
    ...overHttp(service),
    stop,
    close: async () => {
      await stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const PUBLISH_CHECKPOINT = `mutation { publishCheckpoint { treeSize rootHash note signedBy createdAt } }`;

/** Signs a checkpoint now (ADMIN) and returns it. */
export async function publishCheckpoint(app: TestApp): Promise<{ treeSize: number; rootHash: string; note: string; signedBy: string }> {
  const response = await app.gql<{ publishCheckpoint: { treeSize: number; rootHash: string; note: string; signedBy: string } }>(PUBLISH_CHECKPOINT, {}, app.adminKey);
  if (!response.data?.publishCheckpoint) throw new Error(JSON.stringify(response.errors));
  return response.data.publishCheckpoint;
}

const VERIFIER = path.resolve('dist/apps/verifier/src/main.js');

export interface VerifierRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, when --json was given. */
  json: any;
}

/** Runs the built verifier CLI, as a user would. */
export async function runVerifier(args: string[], env: Record<string, string> = {}): Promise<VerifierRun> {
  if (!existsSync(VERIFIER)) throw new Error(`${VERIFIER} is missing: run \`npm run build\` first (\`npm test\` does).`);
  const child = spawn(process.execPath, [VERIFIER, ...args], { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.once('close', (exitCode) => done(exitCode)));
  let json: unknown = null;
  if (args.includes('--json')) {
    try {
      json = JSON.parse(stdout);
    } catch {
      json = null;
    }
  }
  return { code, stdout, stderr, json };
}
