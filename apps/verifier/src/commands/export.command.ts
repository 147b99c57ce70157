import { openCheckpoint, type NoteVerifier } from '@charity-ledger/ledger-core';
import type { Command } from 'commander';
import { ExportVerifier, type TrustedCheckpoint } from '../export-verifier.js';
import { count, emit, progress, type Outcome } from '../report.js';
import { openLines, readText } from '../sources.js';
import { readState } from '../state.js';
import { dedupe, loadKeys, parseKey } from '../trust.js';
import { UsageError } from '../verification.js';
import { collect, type GlobalOptions } from './options.js';

interface ExportOptions {
  key?: string[];
  keys?: string[];
  checkpoint?: string[];
  state?: string;
  origin?: string;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .argument('<source>', 'an export file, or its URL (e.g. https://ledger.example.org/export?charityId=…)')
    .description(
      'Verify an export offline: every entry hash, canonical form and chain link, the Merkle root rebuilt from the leaves, and the signed checkpoint at its end (and any checkpoint you already trust).',
    )
    .option('--key <verifier-key>', 'trust checkpoints signed by this key (repeatable)', collect)
    .option('--keys <file|url>', 'trust every key in this list, one verifier key per line (repeatable), e.g. https://…/.well-known/charity-ledger/keys', collect)
    .option('--checkpoint <file|url>', 'a signed checkpoint you hold: the export must agree with it (repeatable)', collect)
    .option('--state <file>', 'the state file of `verify live`: trust its keys and its checkpoint')
    .option('--origin <name>', 'the log the export must be of (its checkpoint origin)')
    .addHelpText(
      'after',
      `
Exit status: 0 verified, 1 verification failed (the first bad position and why are printed), 2 could not verify.

Examples:
  charity-ledger-verify export ledger.ndjson --keys https://ledger.example.org/.well-known/charity-ledger/keys
  charity-ledger-verify export "https://ledger.example.org/export?charityId=…" --key 'ledger.example.org/log+1a2b3c4d+AX…' --json`,
    )
    .action(async (source: string, options: ExportOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      process.exitCode = emit(await verifyExport(source, options, globals), globals.json === true);
    });
}

async function verifyExport(source: string, options: ExportOptions, globals: GlobalOptions): Promise<Outcome> {
  const state = options.state ? await readState(options.state) : null;
  if (options.state && !state) throw new UsageError(`the state file ${options.state} does not exist`);
  let verifiers: NoteVerifier[] = await loadKeys(options.key ?? [], options.keys ?? []);
  if (state) verifiers = dedupe([...verifiers, ...state.keys.map((key) => parseKey(key, `the state file ${options.state}`))]);
  if (verifiers.length === 0) {
    throw new UsageError('no trusted key: pass --key <verifier key>, --keys <file|url> (the log publishes its keys at /.well-known/charity-ledger/keys), or --state <file>');
  }
  const origin = options.origin ?? state?.origin;
  const trusted: TrustedCheckpoint[] = [];
  if (state) trusted.push({ treeSize: state.checkpoint.treeSize, rootHash: Buffer.from(state.checkpoint.rootHash, 'hex'), source: `state ${options.state}` });
  for (const file of options.checkpoint ?? []) {
    const note = await readText(file, 'the checkpoint');
    try {
      const { checkpoint } = openCheckpoint(note, verifiers, origin === undefined ? {} : { origin });
      trusted.push({ treeSize: checkpoint.size, rootHash: Buffer.from(checkpoint.rootHash), source: file });
    } catch (error) {
      throw new UsageError(`--checkpoint ${file} does not verify with the trusted keys: ${(error as Error).message}`);
    }
  }

  const verifier = new ExportVerifier({ verifiers, origin, trustedCheckpoints: trusted });
  const bar = progress(globals.progress && !globals.json);
  const started = process.hrtime.bigint();
  const lines = await openLines(source);
  let barStarted = false;
  try {
    outer: for await (const batch of lines.batches) {
      for (const line of batch) {
        if (verifier.push(line)) break outer;
      }
      const header = verifier.claimed;
      if (header && !barStarted) {
        bar.start(header.treeSize - header.fromPosition + 1, 'verifying');
        barStarted = true;
      }
      bar.update(verifier.verifiedPositions);
    }
  } finally {
    bar.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // after a failure, finish() returns it; otherwise it checks the export did not stop early
  const result = verifier.finish();
  const header = verifier.claimed;
  const what = header
    ? `export of ${header.charityId ? `charity ${header.charityId}` : 'the whole log'} from "${header.origin}", positions ${count(header.fromPosition)}–${count(header.treeSize)}`
    : `export ${source}`;
  if ('failure' in result) {
    return {
      command: 'export',
      ok: false,
      headline: what,
      failure: result.failure,
      facts: [['verified before the failure', `${count(verifier.verifiedPositions)} positions`]],
      details: { source, header, verifiedPositions: verifier.verifiedPositions, seconds },
      warnings: [],
    };
  }
  const { summary } = result;
  const rate = Math.round(summary.entries / Math.max(seconds, 1e-9));
  return {
    command: 'export',
    ok: true,
    headline: what,
    failure: null,
    facts: [
      ['entries', `${count(summary.entries)} of ${count(summary.charities)} ${summary.charities === 1 ? 'charity' : 'charities'}: every hash, canonical form and chain link checked`],
      ...(summary.summarizedPositions > 0
        ? ([['other positions', `${count(summary.summarizedPositions)}, covered by Merkle subtree hashes`]] as Array<[string, string]>)
        : []),
      ['root', `${summary.rootHash} = the signed checkpoint of ${count(summary.treeSize)} entries`],
      ['signed by', summary.signedBy.join(', ')],
      ...(summary.matchedCheckpoints.length > 0
        ? ([['agrees with', `your checkpoint(s) of ${summary.matchedCheckpoints.map(count).join(', ')} entries`]] as Array<[string, string]>)
        : []),
      ['time', `${seconds.toFixed(2)} s (${count(rate)} entries/s)`],
    ],
    details: { source, ...summary, seconds, entriesPerSecond: rate },
    warnings: summary.warnings,
  };
}
