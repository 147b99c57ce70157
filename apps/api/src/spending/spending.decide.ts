import { formatAmount, type JsonObject } from '@charity-ledger/ledger-core';
import { creditCodeProblem } from '../charities/unified-social-credit-code.js';
import { DomainError } from '../common/domain-error.js';
import { moneyInput, pastInstant } from '../common/input-values.js';
import { EntryType, type EntryDraft } from '../ledger/ledger.types.js';
import { requestHash } from '../ledger/request-hash.js';
import type { FundingInput } from './dto/funding.input.js';
import type { RecordExpenseInput } from './dto/record-expense.input.js';
import type { RecordProcurementInput } from './dto/record-procurement.input.js';

export interface SpendingContext {
  currency: string;
  now: Date;
}

/** PROCUREMENT_RECORDED: lines priced, the total checked against them. Funds are for the books to check. Pure. */
export function decideProcurement(input: RecordProcurementInput, context: SpendingContext): EntryDraft {
  const creditCode = input.supplier.creditCode.trim().toUpperCase();
  const problem = creditCodeProblem(creditCode);
  if (problem) throw DomainError.badInput('input.supplier.creditCode', problem);
  let sum = 0;
  const lines = input.lines.map((line, index) => {
    const unitPrice = moneyInput(line.unitPrice, input.currency, context.currency, `input.lines[${index}].unitPrice`);
    const amount = unitPrice.minorUnits * line.quantity;
    if (!Number.isSafeInteger(amount)) throw DomainError.badInput(`input.lines[${index}].quantity`, 'quantity × unit price is too large');
    sum += amount;
    return {
      description: line.description.trim(),
      itemCode: line.itemCode,
      quantity: line.quantity,
      unit: line.unit.trim(),
      unitPrice,
      amount: { currency: unitPrice.currency, minorUnits: amount },
    };
  });
  const total = moneyInput(input.total, input.currency, context.currency, 'input.total');
  if (total.minorUnits !== sum) {
    throw DomainError.badInput(
      'input.total',
      `is ${formatAmount(total)} but the lines add up to ${formatAmount({ currency: total.currency, minorUnits: sum })}`,
    );
  }
  return {
    type: EntryType.PROCUREMENT_RECORDED,
    occurredAt: pastInstant(input.purchasedAt, context.now, 'input.purchasedAt'),
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('recordProcurement', input),
    payload: {
      projectId: input.projectId,
      supplier: { name: input.supplier.name.trim(), creditCode },
      lines,
      total,
      invoice: { sha256: input.invoice.sha256, ...(input.invoice.uri ? { uri: input.invoice.uri } : {}) },
      ...funding(input.funding, input.currency, context),
    },
  };
}

/** EXPENSE_RECORDED. Pure. */
export function decideExpense(input: RecordExpenseInput, context: SpendingContext): EntryDraft {
  return {
    type: EntryType.EXPENSE_RECORDED,
    occurredAt: pastInstant(input.incurredAt, context.now, 'input.incurredAt'),
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('recordExpense', input),
    payload: {
      projectId: input.projectId ?? null,
      costClass: input.costClass,
      amount: moneyInput(input.amount, input.currency, context.currency, 'input.amount'),
      description: input.description.trim(),
      evidenceSha256: input.evidenceSha256,
      ...funding(input.funding, input.currency, context),
    },
  };
}

function funding(items: FundingInput[] | undefined, currency: string, context: SpendingContext): { funding?: JsonObject[] } {
  if (!items || items.length === 0) return {};
  return {
    funding: items.map((item, index) => ({
      donationSequence: item.donationSequence,
      amount: moneyInput(item.amount, currency, context.currency, `input.funding[${index}].amount`),
    })),
  };
}
