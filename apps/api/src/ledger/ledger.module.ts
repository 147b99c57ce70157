import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { LedgerResolver } from './ledger.resolver.js';
import { LedgerService } from './ledger.service.js';

@Module({
  imports: [CharitiesModule],
  providers: [LedgerService, LedgerResolver],
  exports: [LedgerService],
})
export class LedgerModule {}
