import {
  CompactRange,
  entryLeafHash,
  type MerkleNode,
  type MerkleNodeId,
} from '@charity-ledger/ledger-core';

/** Runs one SQL statement and returns its rows: a pool, an EntityManager or an append transaction. */
export type QueryRunnerFunction = <Row extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<Row[]>;

// The tree lives in merkle_node (migrations/1764316800100-transparency-log.ts): node
// (level, node_index) is the perfect subtree over leaves [index·2^level, (index+1)·2^level);
// leaf index = position − 1. These helpers are shared by the projector (inside the
// append transaction), the proof reads and the checkpointer.

/** Number of leaves in the stored tree (an index-only scan of the primary key). */
export const TREE_SIZE_SQL = 'SELECT coalesce(max(node_index) + 1, 0) AS size FROM merkle_node WHERE level = 0';

const SELECT_NODES = `
  SELECT n.level, n.node_index, n.hash
    FROM merkle_node n
    JOIN unnest($1::smallint[], $2::bigint[]) AS wanted(level, node_index) USING (level, node_index)`;

/** Appends nodes in one statement; the database checks each against the ledger and its children. */
export const INSERT_NODES_SQL = `
  INSERT INTO merkle_node (level, node_index, hash)
  SELECT n.level, n.node_index, decode(n.hash, 'hex')
    FROM unnest($1::smallint[], $2::bigint[], $3::text[]) AS n(level, node_index, hash)`;

export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}

export async function storedTreeSize(query: QueryRunnerFunction): Promise<number> {
  const [{ size }] = await query<{ size: string }>(TREE_SIZE_SQL);
  return Number(size);
}

/** The stored hashes of the given nodes, by `nodeKey`; missing nodes are simply absent. */
export async function readNodes(query: QueryRunnerFunction, ids: readonly MerkleNodeId[]): Promise<Map<string, Uint8Array>> {
  const found = new Map<string, Uint8Array>();
  if (ids.length === 0) return found;
  const rows = await query<{ level: number; node_index: string; hash: Buffer }>(SELECT_NODES, [
    ids.map((id) => id.level),
    ids.map((id) => id.index),
  ]);
  for (const row of rows) found.set(nodeKey(row.level, Number(row.node_index)), row.hash);
  return found;
}

/** Parameters of INSERT_NODES_SQL. */
export function insertNodesParams(nodes: readonly MerkleNode[]): [number[], number[], string[]] {
  return [nodes.map((node) => node.level), nodes.map((node) => node.index), nodes.map((node) => Buffer.from(node.hash).toString('hex'))];
}

/**
 * The compact range (the state `CompactRange` appends to) of the stored tree of
 * `size` leaves. Throws when a node it needs is not stored: the tree is shorter.
 */
export async function loadCompactRange(query: QueryRunnerFunction, size: number): Promise<CompactRange> {
  const ids = CompactRange.nodeIds(size);
  const found = await readNodes(query, ids);
  const hashes = ids.map((id) => {
    const hash = found.get(nodeKey(id.level, id.index));
    if (!hash) throw new Error(`the stored Merkle tree has no node (${id.level}, ${id.index}) for a tree of ${size} leaves`);
    return hash;
  });
  return CompactRange.fromHashes(size, hashes);
}

/**
 * Brings the stored tree up to `ledgerSize` entries: the nodes to insert for the
 * entries at positions tree size + 1 … ledgerSize, read from the ledger. Returns
 * the range after them. Refuses a tree with more leaves than the ledger has
 * entries: entries were then removed behind the service's back.
 */
export async function catchUpTree(
  query: QueryRunnerFunction,
  ledgerSize: number,
  maxEntries = Number.MAX_SAFE_INTEGER,
): Promise<{ range: CompactRange; nodes: MerkleNode[] }> {
  const treeSize = await storedTreeSize(query);
  if (treeSize > ledgerSize) {
    throw new Error(
      `the Merkle tree has ${treeSize} leaves but the ledger only ${ledgerSize} entries: ledger entries were removed outside the service; ` +
        'appends stop until an operator investigates (published checkpoints show what was there)',
    );
  }
  const range = await loadCompactRange(query, treeSize);
  const nodes: MerkleNode[] = [];
  const until = Math.min(ledgerSize, treeSize + maxEntries);
  if (until > treeSize) {
    const rows = await query<{ position: string; hash: string }>(
      'SELECT position, hash FROM ledger_entry WHERE position > $1 AND position <= $2 ORDER BY position',
      [treeSize, until],
    );
    for (const row of rows) {
      if (Number(row.position) !== range.size + 1) {
        throw new Error(`the ledger has no entry at position ${range.size + 1} (next is ${row.position})`);
      }
      nodes.push(...range.append(entryLeafHash(row.hash)));
    }
    if (range.size !== until) throw new Error(`the ledger has no entry at position ${range.size + 1}`);
  }
  return { range, nodes };
}
