import path from 'node:path';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError } from '../config/app-config.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { DirectoryMediaStore } from './directory-media-store.js';
import { MediaReferenceProjector } from './media-reference.projector.js';
import { MEDIA_STORE, type MediaStore } from './media-store.js';
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
      useFactory: (config: AppConfig) => new DirectoryMediaStore(config.mediaDir ?? path.join(config.dataDir, 'media')),
    },
    MediaService,
  ],
  exports: [MediaService],
})
export class MediaModule implements OnModuleInit {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(MEDIA_STORE) private readonly store: MediaStore,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      await this.store.open();
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      const where = this.config.mediaDir ?? path.join(this.config.dataDir, 'media');
      throw new ConfigError([`MEDIA_DIR: ${path.resolve(where)} cannot be created or written (${reason}); set MEDIA_DIR to a writable directory`]);
    }
    this.ledger.registerProjector(new MediaReferenceProjector());
  }
}
