import { Module, type OnModuleInit } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { FiguresService } from './figures.service.js';
import { LedgerFactProjector } from './ledger-fact.projector.js';
import { ReachIndex } from './reach-index.js';

/** Period figures: keeps ledger_fact in step with every append and sums it (FiguresService), counting people in memory (ReachIndex). */
@Module({
  imports: [LedgerModule],
  providers: [FiguresService, ReachIndex],
  exports: [FiguresService],
})
export class FiguresModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new LedgerFactProjector());
  }
}
