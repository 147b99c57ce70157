import { Module } from '@nestjs/common';
import { BeneficiaryRecordsResolver } from './beneficiary-records.resolver.js';
import { BeneficiaryRecordsService } from './beneficiary-records.service.js';
import { PlatformKeysService } from './platform-keys.service.js';

/**
 * Beneficiaries' personal data, off the ledger (docs/privacy.md): sealed per
 * person, read only by the enrolling charity and regulators with every access
 * logged, and erasable by destroying the person's key.
 */
@Module({
  providers: [PlatformKeysService, BeneficiaryRecordsService, BeneficiaryRecordsResolver],
})
export class BeneficiaryRecordsModule {}
