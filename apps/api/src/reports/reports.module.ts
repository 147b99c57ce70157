import { Module, type OnModuleInit } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { FiguresModule } from '../figures/figures.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MediaModule } from '../media/media.module.js';
import { ProgressReportProjector } from './progress-report.projector.js';
import { ReportsResolver } from './reports.resolver.js';
import { ReportsService } from './reports.service.js';

/** Progress reports and disclosure schedules (docs/reports.md). */
@Module({
  imports: [LedgerModule, CharitiesModule, FiguresModule, MediaModule],
  providers: [ReportsService, ReportsResolver],
  exports: [ReportsService],
})
export class ReportsModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new ProgressReportProjector());
  }
}
