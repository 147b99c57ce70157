import { Module, type OnModuleInit } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { BooksProjector } from './books.projector.js';

/** Keeps the book_* read models in step with every append. */
@Module({ imports: [LedgerModule] })
export class BooksModule implements OnModuleInit {
  constructor(private readonly ledger: LedgerService) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new BooksProjector());
  }
}
