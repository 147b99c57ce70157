/** Options every command understands (given before or after the command name). */
export interface GlobalOptions {
  json?: boolean;
  progress: boolean;
}

/** Commander accumulator for repeatable options (no default, so the help shows none). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
