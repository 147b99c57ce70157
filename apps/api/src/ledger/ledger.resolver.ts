import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { AllowPublic } from '../auth/access.decorators.js';
import { CharitiesService } from '../charities/charities.service.js';
import { DomainError } from '../common/domain-error.js';
import { decodeCursor, encodeCursor, pageSize } from '../common/pagination.js';
import { ChainVerification } from './dto/chain-verification.type.js';
import { LedgerEntryConnection } from './dto/ledger-entry-connection.type.js';
import { LedgerEntry, toLedgerEntry } from './dto/ledger-entry.type.js';
import { LedgerService } from './ledger.service.js';

const CURSOR_KIND = 'seq';

@Resolver(() => LedgerEntry)
export class LedgerResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly charities: CharitiesService,
  ) {}

  @Query(() => LedgerEntryConnection, { description: "A charity's chain in sequence order, a page at a time." })
  @AllowPublic()
  async ledgerEntries(
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size, 1–500 (default 50).' }) first?: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after?: string,
  ): Promise<LedgerEntryConnection> {
    await this.charities.get(charityId);
    const size = pageSize(first);
    const afterSequence = decodeCursor(CURSOR_KIND, after);
    const [{ entries, hasNextPage }, totalCount] = await Promise.all([
      this.ledger.page(charityId, afterSequence, size),
      this.ledger.chainLength(charityId),
    ]);
    const edges = entries.map((entry) => ({ cursor: encodeCursor(CURSOR_KIND, entry.sequence), node: toLedgerEntry(entry) }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null }, totalCount };
  }

  @Query(() => LedgerEntry, { description: 'One entry, by charity and sequence.' })
  @AllowPublic()
  async ledgerEntry(
    @Args('charityId', { type: () => ID }) charityId: string,
    @Args('sequence', { type: () => Int }) sequence: number,
  ): Promise<LedgerEntry> {
    await this.charities.get(charityId);
    const entry = await this.ledger.entry(charityId, sequence);
    if (!entry) throw DomainError.notFound(`Charity ${charityId} has no entry ${sequence}.`);
    return toLedgerEntry(entry);
  }

  @Query(() => ChainVerification, {
    description: "Recomputes every hash of a charity's chain from the stored bytes and checks every link.",
  })
  @AllowPublic()
  async verifyChain(@Args('charityId', { type: () => ID }) charityId: string): Promise<ChainVerification> {
    await this.charities.get(charityId);
    return this.ledger.verifyChain(charityId);
  }
}
