import { randomBytes } from 'node:crypto';
import { CompactRange, GENESIS_PREV_HASH, entryLeafHash, sealEntry, sha256Hex, type MerkleNode } from '@charity-ledger/ledger-core';
import type pg from 'pg';
import { INSERT_ENTRIES } from '../../apps/api/src/ledger/ledger-sequencer.js';
import { INSERT_NODES_SQL, insertNodesParams } from '../../apps/api/src/transparency/merkle-tree.store.js';

export interface BulkCharity {
  id: string;
  name: string;
  /** Id of the charity's API key: entries name the key that recorded them. */
  actorKeyId: string;
}

const CHANNELS = ['BANK_TRANSFER', 'WECHAT_PAY', 'ALIPAY', 'ONLINE_PLATFORM'];

// The sequencer's own statement: canonical bytes sent as UTF-8 text, stored unchanged,
// payload derived from them; the database's append check verifies every row as for the service.

interface Batch {
  columns: unknown[][];
  nodes: MerkleNode[];
}

/**
 * Writes a large ledger fast, through a path equivalent to the service's, minus
 * GraphQL and input validation: CASH_DONATION entries in the documented layout,
 * sealed by ledger-core's `sealEntry` (the ledger's canonical JSON and SHA-256),
 * chained per charity, inserted with the sequencer's statement (so the database's
 * append check verifies every hash, copy, link and position), and their Merkle nodes
 * built by ledger-core's `CompactRange` and inserted with the projector's statement
 * (so the database's node check verifies every leaf and parent) in the same transaction.
 * Charities take turns, so that each chain's positions are spread over the log.
 */
export async function bulkLoad(
  client: pg.Client,
  charities: readonly BulkCharity[],
  count: number,
  batchSize: number,
  onProgress: (loaded: number) => void,
): Promise<void> {
  const heads = new Map(charities.map((charity) => [charity.id, { sequence: 0, hash: GENESIS_PREV_HASH }]));
  const tree = CompactRange.empty();
  const recordedAt = new Date(Date.now() - 86_400_000).toISOString();
  const build = (first: number, last: number): Batch => {
    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    const nodes: MerkleNode[] = [];
    for (let position = first; position <= last; position++) {
      const charity = charities[position % charities.length];
      const head = heads.get(charity.id)!;
      const reference = `dnr_${randomBytes(16).toString('base64url').slice(0, 22)}`;
      const minorUnits = 1_000 + ((position * 7_919) % 5_000_000);
      const occurredAt = new Date(Date.parse(recordedAt) - (position % 86_400) * 1_000).toISOString();
      const sealed = sealEntry({
        charityId: charity.id,
        sequence: head.sequence + 1,
        type: 'CASH_DONATION',
        occurredAt,
        recordedAt,
        actorKeyId: charity.actorKeyId,
        prevHash: head.hash,
        payload: {
          amount: { currency: 'CNY', minorUnits },
          channel: CHANNELS[position % CHANNELS.length],
          donor: { type: 'INDIVIDUAL', anonymous: true, reference },
          restriction: { kind: 'UNRESTRICTED' },
          receipt: {
            donor: reference,
            property: 'CASH',
            quantity: `${(minorUnits / 100).toFixed(2)} CNY`,
            organisation: charity.name,
            handler: '王会计',
            date: occurredAt.slice(0, 10),
          },
        },
      });
      heads.set(charity.id, { sequence: sealed.sequence, hash: sealed.hash });
      const idempotencyKey = `bench-${position}`;
      const values = [
        position,
        charity.id,
        sealed.sequence,
        sealed.type,
        occurredAt,
        recordedAt,
        charity.actorKeyId,
        sealed.canonicalBytes.toString('utf8'),
        sealed.prevHash,
        sealed.hash,
        idempotencyKey,
        sha256Hex(idempotencyKey),
      ];
      values.forEach((value, index) => columns[index].push(value));
      nodes.push(...tree.append(entryLeafHash(sealed.hash)));
    }
    return { columns, nodes };
  };
  const write = async ({ columns, nodes }: Batch): Promise<void> => {
    await client.query('BEGIN');
    try {
      await client.query(INSERT_ENTRIES, columns);
      await client.query(INSERT_NODES_SQL, insertNodesParams(nodes));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  };
  // the next batch is sealed while the database checks and stores the previous one
  let inFlight: Promise<void> = Promise.resolve();
  for (let first = 1; first <= count; first += batchSize) {
    const last = Math.min(count, first + batchSize - 1);
    const batch = build(first, last);
    await inFlight;
    onProgress(first - 1);
    inFlight = write(batch);
  }
  await inFlight;
  onProgress(count);
}
