import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize } from '@charity-ledger/ledger-core';

/**
 * The RFC 8785 test vectors (input → canonical output), read from the shared
 * reference data that CI provides (CHARITY_LEDGER_SHARED_DIR); they are not part
 * of the repository. jest.config.js only runs this project when the folder is set.
 */
const directory = join(process.env.CHARITY_LEDGER_SHARED_DIR ?? '', 'vectors', 'jcs');
const names = readdirSync(join(directory, 'input')).filter((name) => name.endsWith('.json'));

describe('RFC 8785 vectors', () => {
  it('has vectors to check', () => {
    expect(names.length).toBeGreaterThanOrEqual(5);
  });

  it.each(names)('%s canonicalizes to the published bytes', (name) => {
    const input = JSON.parse(readFileSync(join(directory, 'input', name), 'utf8')) as unknown;
    const expected = readFileSync(join(directory, 'output', name));
    expect(Buffer.from(canonicalize(input), 'utf8').equals(expected)).toBe(true);
  });
});
