import cliProgress from 'cli-progress';
import { EXIT_FAILED, EXIT_VERIFIED, type Failure } from './verification.js';

/** The result of one command, printed for a person or as one JSON object (--json). */
export interface Outcome {
  command: string;
  ok: boolean;
  /** One line saying what was verified, or what was being verified when it failed. */
  headline: string;
  failure: Failure | null;
  /** Label and value pairs shown to a person, in order. */
  facts: Array<[string, string]>;
  /** Everything a machine needs (--json), besides ok, command, failure and warnings. */
  details: Record<string, unknown>;
  warnings: string[];
}

/** Prints the outcome and returns the exit code: 0 verified, 1 failed. */
export function emit(outcome: Outcome, json: boolean): number {
  if (json) {
    const { command, ok, failure, details, warnings } = outcome;
    process.stdout.write(`${JSON.stringify({ ok, command, ...details, failure, warnings })}\n`);
  } else {
    const lines = [`${outcome.ok ? 'OK' : 'FAILED'}  ${outcome.headline}`];
    if (outcome.failure) {
      if (outcome.failure.position !== null) lines.push(`  first bad position: ${outcome.failure.position}`);
      lines.push(`  why: ${outcome.failure.reason}`, `  code: ${outcome.failure.code}`);
    }
    const width = Math.max(0, ...outcome.facts.map(([label]) => label.length));
    for (const [label, value] of outcome.facts) lines.push(`  ${`${label}:`.padEnd(width + 1)} ${value}`);
    const shown = outcome.warnings.slice(0, 10);
    for (const warning of shown) lines.push(`  note: ${warning}`);
    if (outcome.warnings.length > shown.length) lines.push(`  (${outcome.warnings.length - shown.length} more notes; --json lists them all)`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return outcome.ok ? EXIT_VERIFIED : EXIT_FAILED;
}

/** A progress bar on stderr, only for a person watching a terminal. */
export interface Progress {
  start(total: number, label: string): void;
  update(value: number): void;
  stop(): void;
}

export function progress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {speed}/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = 0;
  let label = '';
  return {
    start: (total, text) => {
      startedAt = Date.now();
      label = text;
      bar.start(total, 0, { label, speed: '0' });
    },
    update: (value) => {
      const seconds = (Date.now() - startedAt) / 1000;
      bar.update(value, { label, speed: seconds > 0 ? Math.round(value / seconds).toLocaleString('en') : '0' });
    },
    stop: () => bar.stop(),
  };
}

export function count(value: number): string {
  return value.toLocaleString('en');
}
