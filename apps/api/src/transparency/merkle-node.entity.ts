import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One perfect subtree of the log's RFC 6962 Merkle tree: node (level, nodeIndex)
 * covers leaves [nodeIndex·2^level, (nodeIndex+1)·2^level). Level 0 holds the leaf
 * hashes (leaf index = position − 1). A node is stored once it is complete and
 * never changes, so any past tree's root and proofs are O(log n) reads.
 * Append-only; the database checks every inserted node against the ledger and its
 * children (migrations/1764316800100-transparency-log.ts).
 */
@Entity({ name: 'merkle_node' })
@Check('ck_merkle_node_hash', `octet_length("hash") = 32`)
@Check('ck_merkle_node_address', `"level" BETWEEN 0 AND 62 AND "node_index" >= 0`)
export class MerkleNodeEntity {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_merkle_node' })
  level!: number;

  @PrimaryColumn({ name: 'node_index', type: 'bigint', primaryKeyConstraintName: 'pk_merkle_node' })
  nodeIndex!: string;

  /** The 32-byte SHA-256 node hash (a leaf hash at level 0). */
  @Column({ type: 'bytea' })
  hash!: Buffer;
}
