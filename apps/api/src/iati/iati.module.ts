import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { IatiController } from './iati.controller.js';
import { IatiService } from './iati.service.js';

/** The IATI 2.03 activity file of each charity, for aid-data tools and regulators (docs/iati.md). */
@Module({
  imports: [CharitiesModule],
  controllers: [IatiController],
  providers: [IatiService],
})
export class IatiModule {}
