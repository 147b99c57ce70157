import { Module } from '@nestjs/common';
import { FiguresModule } from '../figures/figures.module.js';
import { DisclosuresController } from './disclosures.controller.js';
import { DisclosuresResolver } from './disclosures.resolver.js';
import { DisclosuresService } from './disclosures.service.js';

/** Aggregated disclosures for the public and regulators (docs/disclosures.md), over GraphQL and as CSV. */
@Module({
  imports: [FiguresModule],
  providers: [DisclosuresService, DisclosuresResolver],
  controllers: [DisclosuresController],
})
export class DisclosuresModule {}
