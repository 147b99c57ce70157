import { hash, randomInt } from 'node:crypto';
import {
  entryLeafHash,
  MerkleProofError,
  openCheckpoint,
  parseNote,
  verifyConsistency,
  verifyInclusion,
  type Checkpoint,
  type NoteVerifier,
} from '@charity-ledger/ledger-core';
import type { Command } from 'commander';
import { readCanonicalEntry } from '../canonical-entry.js';
import { LogClient, type PositionAnswer } from '../log-client.js';
import { count, emit, progress, type Outcome } from '../report.js';
import { defaultStatePath, readState, writeState, type VerifierState } from '../state.js';
import { dedupe, loadKeys, parseKey } from '../trust.js';
import { FailureCode, UsageError, type Failure } from '../verification.js';
import { collect, type GlobalOptions } from './options.js';

const DEFAULT_SAMPLE = 16;
const POSITIONS_PER_REQUEST = 25;
const HEX64 = /^[0-9a-f]{64}$/;

interface LiveOptions {
  key?: string[];
  keys?: string[];
  state?: string;
  sample: string;
  origin?: string;
  graphql?: string;
}

export function registerLiveCommand(program: Command): void {
  program
    .command('live')
    .argument('<url>', 'the log service, e.g. https://ledger.example.org')
    .description(
      "Check a running log: its latest checkpoint's signature, that it extends the last checkpoint this verifier saw (kept in a state file), and that N random entries are in it as they are now.",
    )
    .option('--key <verifier-key>', 'trust checkpoints signed by this key (repeatable)', collect)
    .option('--keys <file|url>', 'trust every key in this list, one verifier key per line (repeatable)', collect)
    .option('--state <file>', 'where the last verified checkpoint is kept (default: ~/.local/state/charity-ledger-verify/<url>.json)')
    .option('--sample <n>', 'entries to spot-check, chosen at random (all of them when n ≥ the log size)', String(DEFAULT_SAMPLE))
    .option('--origin <name>', 'the log the checkpoint must be of (default: the one in the state file)')
    .option('--graphql <url>', 'GraphQL endpoint for proofs (default: <url>/graphql)')
    .addHelpText(
      'after',
      `
On the first run without --key or --keys, the keys the log publishes are trusted and pinned in the state file
(trust on first use): compare them with keys published elsewhere. The state is updated only when everything verified.

Exit status: 0 verified, 1 verification failed (the first bad position and why are printed), 2 could not verify.`,
    )
    .action(async (url: string, options: LiveOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      process.exitCode = emit(await verifyLive(url, options, globals), globals.json === true);
    });
}

async function verifyLive(url: string, options: LiveOptions, globals: GlobalOptions): Promise<Outcome> {
  const base = url.replace(/\/+$/, '');
  if (!/^https?:\/\/\S+$/i.test(base)) throw new UsageError(`${url} is not an http(s) URL`);
  const sample = Number(options.sample);
  if (!Number.isSafeInteger(sample) || sample < 0) throw new UsageError('--sample must be a whole number, 0 or more');
  const client = new LogClient(base, options.graphql);
  const statePath = options.state ?? defaultStatePath(base);
  const state = await readState(statePath);
  const warnings: string[] = [];

  // Which keys to trust: the ones given, else the pinned ones, else (first use) the log's own list.
  let verifiers: NoteVerifier[] = await loadKeys(options.key ?? [], options.keys ?? []);
  if (verifiers.length === 0 && state) verifiers = state.keys.map((key) => parseKey(key, `the state file ${statePath}`));
  if (verifiers.length === 0) {
    const published = await client.text('/.well-known/charity-ledger/keys');
    if (!published) throw new UsageError(`${base} publishes no keys at /.well-known/charity-ledger/keys; pass --key`);
    verifiers = await loadKeysFromText(published);
    warnings.push(`first use: trusting the ${verifiers.length} key(s) the log publishes (${verifiers.map((key) => key.verifierKey).join(', ')}); compare them with keys published elsewhere`);
  }
  verifiers = dedupe(verifiers);
  const origin = options.origin ?? state?.origin;
  const headline = (size?: number) => `live log ${base}${size === undefined ? '' : `, checkpoint of ${count(size)} entries`}`;
  const failed = (failure: Failure, size?: number, facts: Array<[string, string]> = []): Outcome => ({
    command: 'live',
    ok: false,
    headline: headline(size),
    failure,
    facts: [...facts, ['state', `${statePath} (unchanged)`]],
    details: { url: base, statePath, treeSize: size ?? null },
    warnings,
  });

  const note = await client.text('/checkpoint');
  if (note === null) {
    if (state) {
      return failed({
        code: FailureCode.ROLLBACK,
        position: null,
        reason: `the log publishes no checkpoint, but you verified one of ${count(state.checkpoint.treeSize)} entries on ${state.verifiedAt}`,
      });
    }
    throw new UsageError(`${base} has no checkpoint yet (an empty log, or its first checkpoint is still due)`);
  }
  let checkpoint: Checkpoint;
  let signedBy: NoteVerifier[];
  try {
    ({ checkpoint, verifiedBy: signedBy } = openCheckpoint(note, verifiers, origin === undefined ? {} : { origin }));
  } catch (error) {
    return failed({ code: FailureCode.BAD_CHECKPOINT, position: null, reason: `the latest checkpoint does not verify: ${(error as Error).message}${await rotationHint(client, note, verifiers)}` });
  }
  const size = checkpoint.size;
  const root = Buffer.from(checkpoint.rootHash);

  // The new checkpoint must extend the one this verifier saw last.
  let extended = 'first checkpoint seen (nothing to compare with yet)';
  if (state) {
    const seenSize = state.checkpoint.treeSize;
    const seenRoot = Buffer.from(state.checkpoint.rootHash, 'hex');
    if (size < seenSize) {
      return failed(
        {
          code: FailureCode.ROLLBACK,
          position: size + 1,
          reason: `the latest checkpoint covers ${count(size)} entries, but you verified one of ${count(seenSize)} on ${state.verifiedAt}: positions ${count(size + 1)}–${count(seenSize)} were cut from the log`,
        },
        size,
      );
    }
    if (size === seenSize) {
      if (!root.equals(seenRoot)) {
        return failed({ code: FailureCode.INCONSISTENT, position: null, reason: `the log signed two different roots for ${count(size)} entries: history was rewritten` }, size);
      }
      extended = `same as the one you verified on ${state.verifiedAt}`;
    } else if (seenSize > 0) {
      const answer = await client.consistencyProof(seenSize, size);
      const failure = 'error' in answer ? answer.error : consistencyProblem(seenSize, size, answer.proof, seenRoot, root);
      if (failure !== null) {
        return failed(
          {
            code: FailureCode.INCONSISTENT,
            position: null,
            reason: `the checkpoint of ${count(size)} entries does not extend the one of ${count(seenSize)} you verified on ${state.verifiedAt}: ${failure}. History was rewritten.`,
          },
          size,
        );
      }
      extended = `extends the one of ${count(seenSize)} entries you verified on ${state.verifiedAt} (consistency proof checked)`;
    }
  }

  // Spot checks: the entries as the service serves them now must be the ones the checkpoint committed to.
  const positions = pickPositions(size, sample);
  const bar = progress(globals.progress && !globals.json && positions.length > POSITIONS_PER_REQUEST);
  bar.start(positions.length, 'spot-checking');
  const failures: Failure[] = [];
  let checked = 0;
  try {
    for (let start = 0; start < positions.length; start += POSITIONS_PER_REQUEST) {
      const answers = await client.positions(positions.slice(start, start + POSITIONS_PER_REQUEST), size);
      for (const answer of answers) {
        const failure = checkPosition(answer, size, root);
        if (failure) failures.push(failure);
      }
      checked += answers.length;
      bar.update(checked);
    }
  } finally {
    bar.stop();
  }
  if (failures.length > 0) {
    failures.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    return failed(failures[0], size, [['spot checks', `${failures.length} of ${count(positions.length)} positions failed`]]);
  }

  const newState: VerifierState = {
    version: 1,
    url: base,
    origin: checkpoint.origin,
    keys: verifiers.map((verifier) => verifier.verifierKey),
    checkpoint: { treeSize: size, rootHash: root.toString('hex'), note },
    verifiedAt: new Date().toISOString(),
  };
  await writeState(statePath, newState);
  return {
    command: 'live',
    ok: true,
    headline: headline(size),
    failure: null,
    facts: [
      ['origin', checkpoint.origin],
      ['root', root.toString('hex')],
      ['signed by', signedBy.map((verifier) => verifier.verifierKey).join(', ')],
      ['history', extended],
      ['spot checks', `${count(positions.length)} of ${count(size)} entries are in the checkpoint as served now (inclusion proofs checked)`],
      ['state', `${statePath} (updated)`],
    ],
    details: {
      url: base,
      statePath,
      origin: checkpoint.origin,
      treeSize: size,
      rootHash: root.toString('hex'),
      signedBy: signedBy.map((verifier) => verifier.verifierKey),
      previousTreeSize: state?.checkpoint.treeSize ?? null,
      checkedPositions: positions,
    },
    warnings,
  };
}

/** The first failure for one spot-checked position, or null when it holds. */
function checkPosition(answer: PositionAnswer, size: number, root: Buffer): Failure | null {
  const { position, entry, proof, error } = answer;
  if (!entry) {
    const missing = error?.extensions?.code === 'NOT_FOUND';
    return {
      code: missing ? FailureCode.MISSING_ENTRY : FailureCode.NOT_INCLUDED,
      position,
      reason: missing
        ? `the checkpoint covers position ${position}, but the service has no entry there any more (deleted)`
        : `the service did not return the entry: ${error?.message ?? 'no answer'}`,
    };
  }
  if (!proof) return { code: FailureCode.NOT_INCLUDED, position, reason: `the service gave no inclusion proof: ${error?.message ?? 'no answer'}` };
  if (entry.position !== position || typeof entry.canonicalJson !== 'string' || !entry.canonicalJson.isWellFormed()) {
    return { code: FailureCode.BAD_ENTRY, position, reason: 'the service returned a malformed entry' };
  }
  const computed = hash('sha256', Buffer.from(entry.canonicalJson, 'utf8'), 'hex');
  if (computed !== entry.hash) {
    return { code: FailureCode.HASH_MISMATCH, position, reason: `the stated hash ${entry.hash} is not the SHA-256 of the entry's bytes (${computed})` };
  }
  const read = readCanonicalEntry(entry.canonicalJson);
  if (!read.ok) return { code: FailureCode.BAD_ENTRY, position, reason: read.problem };
  if (read.head.charityId !== entry.charityId || read.head.sequence !== entry.sequence || read.head.prevHash !== entry.prevHash) {
    return { code: FailureCode.BAD_ENTRY, position, reason: "the entry's charityId, sequence or prevHash differs from the hashed entry's" };
  }
  if (!proof.every((element) => HEX64.test(element))) return { code: FailureCode.NOT_INCLUDED, position, reason: 'the inclusion proof is malformed' };
  try {
    verifyInclusion(entryLeafHash(computed), position - 1, size, proof.map((element) => Buffer.from(element, 'hex')), root);
  } catch (problem) {
    const reason =
      problem instanceof MerkleProofError && problem.code === 'ROOT_MISMATCH'
        ? `the entry served at position ${position} (charity ${entry.charityId}, sequence ${entry.sequence}) is not the one the checkpoint committed to: it was changed after it was logged`
        : `the inclusion proof does not verify: ${(problem as Error).message}`;
    return { code: FailureCode.NOT_INCLUDED, position, reason };
  }
  return null;
}

function consistencyProblem(fromSize: number, toSize: number, proof: string[], fromRoot: Buffer, toRoot: Buffer): string | null {
  if (!proof.every((element) => HEX64.test(element))) return 'the consistency proof is malformed';
  try {
    verifyConsistency(fromSize, toSize, proof.map((element) => Buffer.from(element, 'hex')), fromRoot, toRoot);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Every position when the sample covers the log; otherwise distinct random ones, always with the newest. */
export function pickPositions(size: number, sample: number): number[] {
  if (sample >= size) return Array.from({ length: size }, (_, index) => index + 1);
  if (sample === 0) return [];
  const chosen = new Set<number>([size]);
  while (chosen.size < sample) chosen.add(randomInt(1, size + 1));
  return [...chosen].sort((a, b) => a - b);
}

async function loadKeysFromText(text: string): Promise<NoteVerifier[]> {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => parseKey(line, 'the published key list'));
}

/** When a checkpoint is signed by a key the verifier does not know, say which published keys did sign it. */
async function rotationHint(client: LogClient, note: string, trusted: readonly NoteVerifier[]): Promise<string> {
  try {
    const names = new Set(parseNote(note).signatures.map((signature) => `${signature.name}+${signature.keyId.toString(16).padStart(8, '0')}`));
    const published = await loadKeysFromText((await client.text('/.well-known/charity-ledger/keys')) ?? '');
    const fresh = published.filter(
      (key) => names.has(`${key.name}+${key.keyId.toString(16).padStart(8, '0')}`) && !trusted.some((known) => known.verifierKey === key.verifierKey),
    );
    return fresh.length > 0
      ? `. It is signed by a key you do not trust yet, which the log now publishes (a key rotation?): ${fresh.map((key) => key.verifierKey).join(', ')}; if you trust it, run again with --key added`
      : '';
  } catch {
    return '';
  }
}
