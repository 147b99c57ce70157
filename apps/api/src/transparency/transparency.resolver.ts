import { Args, Int, Mutation, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { Allow, AllowPublic } from '../auth/access.decorators.js';
import { Role } from '../auth/api-key.entity.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { Checkpoint, CheckpointConnection, toCheckpoint } from './dto/checkpoint.type.js';
import { CheckpointKey } from './dto/checkpoint-key.type.js';
import { TransparencyService } from './transparency.service.js';

const CURSOR_KIND = 'cp';

@Resolver()
export class TransparencyResolver {
  constructor(private readonly transparency: TransparencyService) {}

  @Query(() => [String], {
    description:
      'RFC 9162 inclusion proof of the entry at `position` in the log of the first `treeSize` entries (leaf index = position − 1), as lowercase hex hashes, lowest level first. Check it against the root of a checkpoint of that size.',
  })
  @AllowPublic()
  async inclusionProof(
    @Args('position', { type: () => Int, description: 'Global position of the entry (the first entry is 1).' }) position: number,
    @Args('treeSize', { type: () => Int, description: "Size of the tree to prove it in: normally a checkpoint's treeSize." }) treeSize: number,
  ): Promise<string[]> {
    return hex(await this.transparency.inclusionProof(position, treeSize));
  }

  @Query(() => [String], {
    description:
      'RFC 9162 consistency proof that the log of the first `fromSize` entries is a prefix of the log of the first `toSize` entries, as lowercase hex hashes. Check it between two checkpoints.',
  })
  @AllowPublic()
  async consistencyProof(
    @Args('fromSize', { type: () => Int, description: 'The older tree size (1 or more).' }) fromSize: number,
    @Args('toSize', { type: () => Int, description: 'The newer tree size, at least fromSize.' }) toSize: number,
  ): Promise<string[]> {
    return hex(await this.transparency.consistencyProof(fromSize, toSize));
  }

  @Query(() => LedgerEntry, { description: 'The entry at a global position of the log (1, 2, 3 …).' })
  @AllowPublic()
  async ledgerEntryAt(@Args('position', { type: () => Int, description: 'Global position, from 1.' }) position: number): Promise<LedgerEntry> {
    return toLedgerEntry(await this.transparency.entryAt(position));
  }

  @Query(() => Checkpoint, { nullable: true, description: 'The latest signed checkpoint (null before the first entry). Same as GET /checkpoint.' })
  @AllowPublic()
  async latestCheckpoint(): Promise<Checkpoint | null> {
    const latest = await this.transparency.latestCheckpoint();
    return latest ? toCheckpoint(latest) : null;
  }

  @Query(() => CheckpointConnection, { description: 'Signed checkpoints, newest first.' })
  @AllowPublic()
  async checkpoints(
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–500 (default 50).' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<CheckpointConnection> {
    const size = pageSize(first);
    const before = after === undefined || after === null ? null : decodeCursor(CURSOR_KIND, after);
    const { checkpoints, hasNextPage, totalCount } = await this.transparency.checkpoints(before, size);
    const edges = checkpoints.map((checkpoint) => ({ cursor: encodeCursor(CURSOR_KIND, checkpoint.treeSize), node: toCheckpoint(checkpoint) }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
  }

  @Query(() => [CheckpointKey], {
    description: 'Every key that signs or signed checkpoints, the current one first. Same as GET /.well-known/charity-ledger/keys.',
  })
  @AllowPublic()
  async checkpointKeys(): Promise<CheckpointKey[]> {
    return this.transparency.keys();
  }

  @Mutation(() => Checkpoint, {
    nullable: true,
    description: 'Signs a checkpoint now if the log has grown since the last one (e.g. before an audit), and returns the latest; null while the log is empty (ADMIN).',
  })
  @Allow(Role.ADMIN)
  async publishCheckpoint(): Promise<Checkpoint | null> {
    const latest = await this.transparency.checkpointNow();
    return latest ? toCheckpoint(latest) : null;
  }
}

@Resolver(() => LedgerEntry)
export class LedgerEntryLeafResolver {
  constructor(private readonly transparency: TransparencyService) {}

  @ResolveField(() => String, {
    description:
      "This entry's leaf hash in the log's Merkle tree: SHA-256 of the byte 0x00 followed by the 32 bytes of `hash` (lowercase hex). Its leaf index is position − 1.",
  })
  @AllowPublic()
  // a plain shape, not the LedgerEntry class: the global validation pipe would treat a class as input
  leafHash(@Parent() entry: { hash: string }): string {
    return Buffer.from(this.transparency.leafHash(entry.hash)).toString('hex');
  }
}

function hex(hashes: Uint8Array[]): string[] {
  return hashes.map((hash) => Buffer.from(hash).toString('hex'));
}
