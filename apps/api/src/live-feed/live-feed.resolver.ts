import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { AllowPublic } from '../auth/access.decorators.js';
import { CharitiesService } from '../charities/charities.service.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { LedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { Checkpoint } from '../transparency/dto/checkpoint.type.js';
import { LiveFeedService, type LiveConnection } from './live-feed.service.js';
import type { GraphQLContext } from './subscription-server.js';

/** The live feed: GraphQL subscriptions over graphql-ws on /graphql (docs/api.md, "Live feed"). */
@Resolver()
export class LiveFeedResolver {
  constructor(
    private readonly feed: LiveFeedService,
    private readonly charities: CharitiesService,
  ) {}

  @Subscription(() => LedgerEntry, {
    description:
      'Each entry as it is appended (public data only, as ledgerEntries shows it), of one charity or of every charity when charityId is omitted, in position order. Over graphql-ws; a subscriber that falls too far behind is disconnected (close code 4413).',
    resolve: (entry: LedgerEntry | undefined) => entry ?? notOverHttp(),
  })
  @AllowPublic()
  async ledgerEntryAdded(
    @Context() context: GraphQLContext,
    @Args('charityId', { type: () => ID, nullable: true, description: 'Only this charity’s entries; omit for every charity.' })
    charityId?: string | null,
  ): Promise<AsyncIterableIterator<LedgerEntry>> {
    const connection = connectionOf(context);
    if (charityId !== undefined && charityId !== null) await this.charities.get(charityId);
    return this.feed.entries(charityId ?? null, connection);
  }

  @Subscription(() => Checkpoint, {
    description: 'Each checkpoint as it is signed (by whichever instance signs it). Over graphql-ws.',
    resolve: (checkpoint: Checkpoint | undefined) => checkpoint ?? notOverHttp(),
  })
  @AllowPublic()
  checkpointPublished(@Context() context: GraphQLContext): AsyncIterableIterator<Checkpoint> {
    return this.feed.newCheckpoints(connectionOf(context));
  }
}

const OVER_WEBSOCKET = 'Subscriptions run over a WebSocket (graphql-ws protocol) at /graphql, not over HTTP POST.';

function connectionOf(context: GraphQLContext): LiveConnection {
  if (!context.connection) throw new DomainError(ErrorCode.BAD_USER_INPUT, OVER_WEBSOCKET);
  return context.connection;
}

// Apollo runs a subscription sent over HTTP as a one-off execution with no event: refuse it clearly
function notOverHttp(): never {
  throw new DomainError(ErrorCode.BAD_USER_INPUT, OVER_WEBSOCKET);
}
