import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { FiguresModule } from '../figures/figures.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { ComplianceResolver } from './compliance.resolver.js';
import { ComplianceService } from './compliance.service.js';

/** complianceReport: the spending standards (thresholds data, loaded at start-up) checked against a charity's figures. */
@Module({
  imports: [FiguresModule, CharitiesModule, ReportsModule],
  providers: [ComplianceService, ComplianceResolver],
})
export class ComplianceModule {}
