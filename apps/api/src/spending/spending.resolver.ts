import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Allow, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { RecordExpenseInput } from './dto/record-expense.input.js';
import { RecordProcurementInput } from './dto/record-procurement.input.js';
import { SpendingService } from './spending.service.js';

@Resolver()
export class SpendingResolver {
  constructor(private readonly spending: SpendingService) {}

  @Mutation(() => LedgerEntry, {
    description: 'Records goods bought for a project (CHARITY). Refused with INSUFFICIENT_FUNDS beyond the project’s gifts plus the pool.',
  })
  @Allow(Role.CHARITY)
  async recordProcurement(@CurrentActor() actor: Actor, @Args('input') input: RecordProcurementInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.spending.recordProcurement(actor, input));
  }

  @Mutation(() => LedgerEntry, { description: 'Records money spent, by cost class (CHARITY).' })
  @Allow(Role.CHARITY)
  async recordExpense(@CurrentActor() actor: Actor, @Args('input') input: RecordExpenseInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.spending.recordExpense(actor, input));
  }
}
