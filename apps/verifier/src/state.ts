import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './verification.js';

/**
 * What `verify live` remembers between runs, like immudb's client state: the last
 * checkpoint it verified and the keys it trusts. Every later checkpoint must extend
 * that one (a consistency proof), so the log can never quietly rewrite or cut what
 * this verifier has seen.
 */
export interface VerifierState {
  version: 1;
  url: string;
  origin: string;
  keys: string[];
  checkpoint: { treeSize: number; rootHash: string; note: string };
  verifiedAt: string;
}

/** ~/.local/state/charity-ledger-verify/<host and path>.json (XDG_STATE_HOME when set). */
export function defaultStatePath(url: string): string {
  const base = process.env.XDG_STATE_HOME || path.join(homedir(), '.local', 'state');
  const name = url.replace(/^https?:\/\//i, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'log';
  return path.join(base, 'charity-ledger-verify', `${name}.json`);
}

export async function readState(file: string): Promise<VerifierState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`cannot read the state file ${file}: ${(error as Error).message}`);
  }
  let state: VerifierState;
  try {
    state = JSON.parse(text) as VerifierState;
  } catch {
    throw new UsageError(`the state file ${file} is not JSON; move it away to start over (you lose what it proves)`);
  }
  const checkpoint = state?.checkpoint;
  if (
    state?.version !== 1 ||
    typeof state.origin !== 'string' ||
    !Array.isArray(state.keys) ||
    !Number.isSafeInteger(checkpoint?.treeSize) ||
    !/^[0-9a-f]{64}$/.test(checkpoint?.rootHash ?? '')
  ) {
    throw new UsageError(`the state file ${file} is not a charity-ledger-verify state (version 1)`);
  }
  return state;
}

/** Writes the state atomically (a temporary file renamed into place). */
export async function writeState(file: string, state: VerifierState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  await rename(temporary, file);
}
