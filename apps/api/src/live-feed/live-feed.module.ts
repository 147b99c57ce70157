import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { TransparencyModule } from '../transparency/transparency.module.js';
import { LiveFeedResolver } from './live-feed.resolver.js';
import { LiveFeedService } from './live-feed.service.js';

/**
 * The live feed (docs/api.md, "Live feed"): new entries and checkpoints as
 * GraphQL subscriptions, fanned out to every service instance through
 * PostgreSQL LISTEN/NOTIFY. The graphql-ws server itself is configured in
 * app.module.ts with subscription-server.ts.
 */
@Module({
  imports: [LedgerModule, CharitiesModule, TransparencyModule],
  providers: [LiveFeedService, LiveFeedResolver],
  exports: [LiveFeedService],
})
export class LiveFeedModule {}
