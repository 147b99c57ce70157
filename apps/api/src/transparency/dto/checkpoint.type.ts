import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../common/paginated.type.js';
import type { CheckpointRecord } from '../checkpoints.service.js';

@ObjectType('Checkpoint', {
  description:
    'A signed summary of the whole log: the Merkle root of its first treeSize entries, signed by the operator (C2SP tlog-checkpoint in a signed note). Keep one: a later rewrite of history cannot be made consistent with it.',
})
export class Checkpoint {
  @Field(() => Int, { description: 'Number of entries it covers: positions 1 to treeSize.' })
  treeSize!: number;

  @Field({ description: 'RFC 6962 Merkle root hash of those entries (lowercase hex).' })
  rootHash!: string;

  @Field({ description: 'The signed note exactly as published (GET /checkpoint): origin, tree size, base64 root hash, a blank line, then signatures.' })
  note!: string;

  @Field({ description: 'Verifier key (C2SP form) of the key that signed it; listed at GET /.well-known/charity-ledger/keys.' })
  signedBy!: string;

  @Field({ description: 'When it was signed.' })
  createdAt!: Date;
}

export function toCheckpoint(record: CheckpointRecord): Checkpoint {
  return {
    treeSize: record.treeSize,
    rootHash: Buffer.from(record.rootHash).toString('hex'),
    note: record.note,
    signedBy: record.verifierKey,
    createdAt: record.createdAt,
  };
}

@ObjectType({ description: 'Signed checkpoints, newest first (Relay connection).' })
export class CheckpointConnection extends Paginated(Checkpoint, 'Checkpoint') {
  @Field(() => Int, { description: 'Number of checkpoints signed so far.' })
  totalCount!: number;
}
