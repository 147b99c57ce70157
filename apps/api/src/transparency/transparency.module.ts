import { Module } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CheckpointKeysService } from './checkpoint-keys.service.js';
import { CheckpointsService } from './checkpoints.service.js';
import { LogExportService } from './log-export.service.js';
import { MerkleTreeService } from './merkle-tree.service.js';
import { TransparencyController } from './transparency.controller.js';
import { LedgerEntryLeafResolver, TransparencyResolver } from './transparency.resolver.js';
import { TransparencyService } from './transparency.service.js';

/**
 * Independent verification (docs/ledger-format.md, "The Merkle log"): the Merkle
 * tree over the whole log, kept in step by a projector; signed checkpoints on a
 * schedule, published over HTTP and to a directory; proofs; and the NDJSON export
 * that apps/verifier checks without trusting the service.
 */
@Module({
  imports: [LedgerModule, CharitiesModule],
  controllers: [TransparencyController],
  providers: [
    MerkleTreeService,
    CheckpointKeysService,
    CheckpointsService,
    LogExportService,
    TransparencyService,
    TransparencyResolver,
    LedgerEntryLeafResolver,
  ],
  exports: [CheckpointsService],
})
export class TransparencyModule {}
