import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const BANNER = /GraphQL API:\s+(http:\/\/\S+\/graphql)/;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;

export interface RunningService {
  child: ChildProcess;
  pid: number;
  graphqlUrl: string;
  /** The last lines the service wrote to stderr, to show when something fails. */
  recentErrors(): string[];
  /** SIGTERM, then waits for the exit (SIGKILL after a minute). */
  stop(): Promise<number | null>;
}

/**
 * Starts the built service as a child process and waits for the GraphQL URL in
 * its start-up banner. Its stderr (warnings and errors at LOG_LEVEL=warn) is
 * passed through, prefixed, so a failure in the service shows up in the run.
 */
export async function startService(mainPath: string, env: NodeJS.ProcessEnv, cwd: string): Promise<RunningService> {
  const child = spawn(process.execPath, [mainPath], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  let stdout = '';

  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter((text) => text.trim() !== '')) {
      errors.push(line);
      if (errors.length > 200) errors.shift();
      process.stderr.write(`[service] ${line}\n`);
    }
  });
  child.stdout!.setEncoding('utf8');

  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the service printed no GraphQL URL within ${START_TIMEOUT_MS / 1000} s; stdout so far:\n${stdout}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const match = BANNER.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`the service exited during start-up (code ${code}, signal ${signal}):\n${errors.join('\n')}`));
    });
  });

  return {
    child,
    pid: child.pid!,
    graphqlUrl,
    recentErrors: () => [...errors],
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
