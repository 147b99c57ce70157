import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize } from './canonical-json.js';
import { verifyChain } from './chain.js';
import { sha256Hex } from './hashing.js';

/** docs/ledger-format.md is the specification; its worked example must stay true. */
describe('the example in docs/ledger-format.md', () => {
  const page = readFileSync(join(process.cwd(), 'docs', 'ledger-format.md'), 'utf8');
  const bytes = /real bytes have none\):\n\n```\n([\s\S]*?)\n```/.exec(page)![1].replace(/\n/g, '');
  const statedHash = /Its `hash` is `([0-9a-f]{64})`/.exec(page)![1];

  it('hashes to the stated hash', () => {
    expect(sha256Hex(Buffer.from(bytes, 'utf8'))).toBe(statedHash);
  });

  it('is canonical and verifies as the first entry of its chain', () => {
    const document = JSON.parse(bytes) as { charityId: string };
    expect(canonicalize(document)).toBe(bytes);
    const result = verifyChain(document.charityId, [
      { sequence: 1, canonicalBytes: Buffer.from(bytes, 'utf8'), hash: statedHash, prevHash: '0'.repeat(64) },
    ]);
    expect(result).toMatchObject({ valid: true, length: 1, headHash: statedHash });
  });
});
