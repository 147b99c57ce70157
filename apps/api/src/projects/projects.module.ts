import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { ProjectsResolver } from './projects.resolver.js';
import { ProjectsService } from './projects.service.js';

@Module({
  imports: [LedgerModule, CharitiesModule],
  providers: [ProjectsService, ProjectsResolver],
})
export class ProjectsModule {}
