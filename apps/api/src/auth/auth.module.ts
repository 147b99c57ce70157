import { Module } from '@nestjs/common';
import { AccessGuard } from './access.guard.js';
import { ApiKeysResolver } from './api-keys.resolver.js';
import { ApiKeysService } from './api-keys.service.js';

@Module({
  providers: [ApiKeysService, AccessGuard, ApiKeysResolver],
  exports: [ApiKeysService, AccessGuard],
})
export class AuthModule {}
