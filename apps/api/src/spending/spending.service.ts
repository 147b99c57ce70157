import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { fixedRequest, type LedgerEntryRecord } from '../ledger/ledger.types.js';
import type { RecordExpenseInput } from './dto/record-expense.input.js';
import type { RecordProcurementInput } from './dto/record-procurement.input.js';
import { decideExpense, decideProcurement } from './spending.decide.js';

@Injectable()
export class SpendingService {
  constructor(private readonly ledger: LedgerService) {}

  async recordProcurement(actor: Actor, input: RecordProcurementInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideProcurement(input, { currency: charity.currency, now: new Date() })),
    ]);
    return entry;
  }

  async recordExpense(actor: Actor, input: RecordExpenseInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideExpense(input, { currency: charity.currency, now: new Date() })),
    ]);
    return entry;
  }
}
