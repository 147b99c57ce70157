import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { DonationsResolver } from './donations.resolver.js';
import { DonationsService } from './donations.service.js';

@Module({
  imports: [LedgerModule, CharitiesModule],
  providers: [DonationsService, DonationsResolver],
})
export class DonationsModule {}
