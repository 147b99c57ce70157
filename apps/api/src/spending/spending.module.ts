import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { SpendingResolver } from './spending.resolver.js';
import { SpendingService } from './spending.service.js';

@Module({
  imports: [LedgerModule],
  providers: [SpendingService, SpendingResolver],
})
export class SpendingModule {}
