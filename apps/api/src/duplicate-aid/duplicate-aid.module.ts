import { Module } from '@nestjs/common';
import { DuplicateAidResolver } from './duplicate-aid.resolver.js';
import { DuplicateAidService } from './duplicate-aid.service.js';

/** The regulators' cross-charity duplicate-aid report, from the books' read models. */
@Module({
  providers: [DuplicateAidService, DuplicateAidResolver],
})
export class DuplicateAidModule {}
