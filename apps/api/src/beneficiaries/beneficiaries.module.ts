import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { BeneficiariesResolver } from './beneficiaries.resolver.js';
import { BeneficiariesService } from './beneficiaries.service.js';

@Module({
  imports: [LedgerModule],
  providers: [BeneficiariesService, BeneficiariesResolver],
})
export class BeneficiariesModule {}
