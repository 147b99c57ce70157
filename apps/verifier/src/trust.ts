import { parseVerifierKey, type NoteVerifier } from '@charity-ledger/ledger-core';
import { readText } from './sources.js';
import { UsageError } from './verification.js';

/** Verifier keys given on the command line (--key) and in key lists (--keys file or URL). */
export async function loadKeys(keys: readonly string[], keyLists: readonly string[]): Promise<NoteVerifier[]> {
  const verifiers: NoteVerifier[] = [];
  for (const key of keys) verifiers.push(parseKey(key, '--key'));
  for (const list of keyLists) {
    const text = await readText(list, 'the key list');
    for (const line of text.split('\n').map((item) => item.trim())) {
      if (line === '' || line.startsWith('#')) continue;
      verifiers.push(parseKey(line, `--keys ${list}`));
    }
  }
  return dedupe(verifiers);
}

export function parseKey(key: string, where: string): NoteVerifier {
  try {
    return parseVerifierKey(key.trim());
  } catch (error) {
    throw new UsageError(`${where}: ${JSON.stringify(key)} is not a C2SP verifier key (${(error as Error).message})`);
  }
}

export function dedupe(verifiers: readonly NoteVerifier[]): NoteVerifier[] {
  const seen = new Map<string, NoteVerifier>();
  for (const verifier of verifiers) seen.set(verifier.verifierKey, verifier);
  return [...seen.values()];
}
