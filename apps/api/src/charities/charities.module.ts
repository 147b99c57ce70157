import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CharitiesResolver } from './charities.resolver.js';
import { CharitiesService } from './charities.service.js';

@Module({
  imports: [AuthModule],
  providers: [CharitiesService, CharitiesResolver],
  exports: [CharitiesService],
})
export class CharitiesModule {}
