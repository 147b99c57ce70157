import { Module, type OnModuleInit } from '@nestjs/common';
import { CharitiesModule } from '../charities/charities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { ReceiptCodeProjector } from './receipt-code.projector.js';
import { TracingResolver } from './tracing.resolver.js';
import { TracingService } from './tracing.service.js';

@Module({
  imports: [LedgerModule, CharitiesModule],
  providers: [TracingService, TracingResolver],
})
export class TracingModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new ReceiptCodeProjector());
  }
}
