#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerExportCommand } from './commands/export.command.js';
import { registerLiveCommand } from './commands/live.command.js';
import { registerTraceCommand } from './commands/trace.command.js';
import { EXIT_CANNOT_VERIFY, UsageError } from './verification.js';

/**
 * charity-ledger-verify: checks a Charity Ledger without trusting it — no Nest, no
 * database, only the log's published data and libs/ledger-core. Each subcommand
 * registers itself here; adding one is a file in commands/ and a line below.
 */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [registerExportCommand, registerLiveCommand, registerTraceCommand];

async function main(argv: string[]): Promise<void> {
  const program = new Command('charity-ledger-verify')
    .description('Independent verification of a Charity Ledger: exports offline, live logs against the checkpoints you saw before, gift traces against the chain.')
    .option('--json', 'print the result as one JSON object on stdout')
    .option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; usage mistakes were already explained by commander
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_CANNOT_VERIFY;
      return;
    }
    if (error instanceof UsageError) {
      if (program.opts<{ json: boolean }>().json) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: error.message })}\n`);
      }
      process.stderr.write(`charity-ledger-verify: ${error.message}\n`);
      process.exitCode = EXIT_CANNOT_VERIFY;
      return;
    }
    throw error;
  }
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`charity-ledger-verify failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = EXIT_CANNOT_VERIFY;
});
