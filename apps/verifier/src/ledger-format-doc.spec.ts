import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryLeafHash, rootFromLeafHashes } from '@charity-ledger/ledger-core';
import { MerkleRootBuilder } from './merkle-root-builder.js';

/** docs/ledger-format.md, "The Merkle log": its example must stay true. */
describe('the Merkle log example in docs/ledger-format.md', () => {
  const page = readFileSync(join(process.cwd(), 'docs', 'ledger-format.md'), 'utf8');
  const entryHash = /Its `hash` is `([0-9a-f]{64})`/.exec(page)![1];
  const statedLeaf = /has the leaf hash\n`([0-9a-f]{64})`/.exec(page)![1];
  const checkpointRoot = /```\nlocalhost\/charity-ledger\n1\n([A-Za-z0-9+/=]+)\n/.exec(page)![1];

  it('gives the leaf hash of the example entry, as the library and the verifier compute it', () => {
    expect(Buffer.from(entryLeafHash(entryHash)).toString('hex')).toBe(statedLeaf);
    const builder = new MerkleRootBuilder();
    expect(Buffer.from(builder.appendEntryHash(entryHash), 'binary').toString('hex')).toBe(statedLeaf);
  });

  it('shows the root of the one-entry log in the checkpoint example', () => {
    expect(Buffer.from(rootFromLeafHashes([entryLeafHash(entryHash)])).toString('base64')).toBe(checkpointRoot);
  });
});
