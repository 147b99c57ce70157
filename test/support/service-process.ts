import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve('dist/apps/api/src/main.js');

export interface ServiceProcess {
  child: ChildProcess;
  graphqlUrl: string;
  /** Present when this start generated the admin key. */
  generatedAdminKey?: string;
  output(): string;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL, like a crash or an OOM kill. */
  kill(): Promise<void>;
}

export interface ExitedProcess {
  code: number | null;
  output: string;
}

function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (\`npm test\` does).`);
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
    child.once('exit', (code) => done(code));
  });
}

function launch(env: Record<string, string | undefined>): { child: ChildProcess; output: () => string } {
  assertBuilt();
  const cleanEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'DATABASE_MIGRATION_URL', 'ADMIN_API_KEY', 'DATA_DIR', 'PORT', 'HOST', 'LOG_LEVEL']) delete cleanEnv[name];
  // by default each start gets its own data directory, outside the checkout, removed when it exits
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'charity-ledger-process-'));
  const ownDataDir = env.DATA_DIR === undefined;
  const child = spawn(process.execPath, [MAIN], {
    env: { ...cleanEnv, PORT: '0', LOG_LEVEL: 'warn', NODE_OPTIONS: '', ...env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (ownDataDir) child.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, output: () => output };
}

/** Starts the built service as its own process and waits for its banner. */
export async function startServiceProcess(env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<ServiceProcess> {
  const { child, output } = launch(env);
  const deadline = Date.now() + timeoutMs;
  while (!/GraphQL API:\s+(\S+)/.test(output())) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start within ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    child,
    graphqlUrl: /GraphQL API:\s+(\S+)/.exec(output())![1],
    generatedAdminKey: /Admin API key[^:]*:\s+(\S+)/.exec(output())?.[1],
    output,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited(child);
      clearTimeout(timer);
      if (child.signalCode === 'SIGKILL') throw new Error(`the service did not stop within 20 s of SIGTERM:\n${output()}`);
      return code;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/** Runs the service expecting it to fail at start; returns its exit code and output. */
export async function runServiceExpectingFailure(env: Record<string, string | undefined>): Promise<ExitedProcess> {
  const { child, output } = launch(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited(child);
  clearTimeout(timer);
  return { code, output: output() };
}

/** A GraphQL call over real HTTP to a service process. */
export async function graphql<Data = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Promise<{ data?: Data | null; errors?: Array<{ message: string; extensions?: { code?: string } }> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Data | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}
