import path from 'node:path';
import { Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { DirectoryMediaStore } from './directory-media-store.js';
import { MediaReferenceProjector } from './media-reference.projector.js';
import { MEDIA_STORE } from './media-store.js';
import { MediaController } from './media.controller.js';
import { MediaService } from './media.service.js';

/**
 * Evidence media: photos, videos and documents stored by SHA-256 (a directory by
 * default, MEDIA_DIR), served by hash, public once a ledger entry references them.
 * Exports MediaService for features that name media (MediaService.missing).
 */
@Module({
  imports: [LedgerModule],
  controllers: [MediaController],
  providers: [
    {
      provide: MEDIA_STORE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const store = new DirectoryMediaStore(config.mediaDir ?? path.join(config.dataDir, 'media'));
        await store.open();
        return store;
      },
    },
    MediaService,
  ],
  exports: [MediaService],
})
export class MediaModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new MediaReferenceProjector());
  }
}
