import type { JsonObject } from '@charity-ledger/ledger-core';
import { DomainError } from '../common/domain-error.js';
import { chinaDate, currencyInput, formatMoney, FUTURE_TOLERANCE_MS, moneyInput, pastInstant, type MoneyValue } from '../common/input-values.js';
import { requestHash } from '../ledger/request-hash.js';
import { EntryType, type EntryDraft, type EntryRequest } from '../ledger/ledger.types.js';
import { RestrictionKind, type DonationInputBase, type DonorInput, type RestrictionInput } from './dto/donation-common.input.js';
import type { RecordDonationInput } from './dto/record-donation.input.js';
import type { RecordInKindDonationInput } from './dto/record-in-kind-donation.input.js';
import type { RefundDonationInput } from './dto/refund-donation.input.js';

export interface DonationContext {
  charity: { id: string; name: string; currency: string };
  now: Date;
  /** Random reference for a donor who stays anonymous. */
  newDonorReference: () => string;
  /** Hash of the receipt code the donor will get (kept off the ledger). */
  receiptCodeHash?: string;
  /** Prefix of field names in error messages, e.g. `inputs[3].` in a batch. */
  fieldPrefix?: string;
}

/** Decides the CASH_DONATION entry for a gift of money, or refuses it. Pure. */
export function decideCashDonation(input: RecordDonationInput, context: DonationContext): EntryDraft {
  const amount = money(input.amount, input.currency, 'amount', context);
  const common = commonParts(input, context);
  return {
    type: EntryType.CASH_DONATION,
    occurredAt: input.receivedAt,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('recordDonation', input),
    payload: {
      amount,
      channel: input.channel,
      donor: common.donor,
      restriction: common.restriction,
      receipt: receipt(common.donorLabel, 'CASH', `${formatMoney(amount)} ${amount.currency}`, input, context),
    },
    sidecar: { ...common.sidecar, ...receiptSidecar(context) },
  };
}

/** Decides the IN_KIND_DONATION entry for a gift of goods, or refuses it. Pure. */
export function decideInKindDonation(input: RecordInKindDonationInput, context: DonationContext): EntryDraft {
  const fairValue = money(input.fairValue, input.currency, 'fairValue', context);
  const common = commonParts(input, context);
  const items = input.items.map((item) => ({
    itemCode: item.itemCode,
    description: item.description.trim(),
    quantity: item.quantity,
    unit: item.unit.trim(),
  }));
  return {
    type: EntryType.IN_KIND_DONATION,
    occurredAt: input.receivedAt,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('recordInKindDonation', input),
    payload: {
      items,
      valuation: { basis: input.valuationBasis, fairValue },
      condition: input.condition,
      donor: common.donor,
      restriction: common.restriction,
      receipt: receipt(
        common.donorLabel,
        'IN_KIND',
        items.map((item) => `${item.quantity} ${item.unit} ${item.description}`).join('; '),
        input,
        context,
      ),
    },
    sidecar: { ...common.sidecar, ...receiptSidecar(context) },
  };
}

function receiptSidecar(context: DonationContext): Record<string, unknown> {
  return context.receiptCodeHash ? { receiptCodeHash: context.receiptCodeHash } : {};
}

function commonParts(input: DonationInputBase, context: DonationContext) {
  if (input.receivedAt.getTime() > context.now.getTime() + FUTURE_TOLERANCE_MS) {
    throw bad(context, 'receivedAt', 'is in the future');
  }
  const { donor, donorLabel, sidecar } = donorParts(input.donor, context);
  return { donor, donorLabel, sidecar, restriction: restrictionPayload(input.restriction, context) };
}

function donorParts(input: DonorInput, context: DonationContext) {
  const name = input.name?.trim();
  if (input.publishName) {
    if (!name) throw bad(context, 'donor.name', 'is required when publishName is true');
    return { donor: { type: input.type, displayName: name } as JsonObject, donorLabel: name, sidecar: {} };
  }
  const reference = context.newDonorReference();
  return {
    donor: { type: input.type, anonymous: true, reference } as JsonObject,
    donorLabel: reference,
    // the name stays off the ledger, for the charity's own receipt records
    sidecar: name ? { donorName: name } : {},
  };
}

function restrictionPayload(input: RestrictionInput | undefined, context: DonationContext): JsonObject {
  switch (input?.kind ?? RestrictionKind.UNRESTRICTED) {
    case RestrictionKind.UNRESTRICTED:
      if (input?.projectId || input?.purpose) {
        throw bad(context, 'restriction', 'an UNRESTRICTED gift names no project or purpose');
      }
      return { kind: RestrictionKind.UNRESTRICTED };
    case RestrictionKind.PROJECT:
      if (!input?.projectId) throw bad(context, 'restriction.projectId', 'is required for a PROJECT restriction');
      if (input.purpose) throw bad(context, 'restriction.purpose', 'give a projectId or a purpose, not both');
      return { kind: RestrictionKind.PROJECT, projectId: input.projectId };
    case RestrictionKind.PURPOSE:
      if (!input?.purpose?.trim()) throw bad(context, 'restriction.purpose', 'is required for a PURPOSE restriction');
      if (input.projectId) throw bad(context, 'restriction.projectId', 'give a projectId or a purpose, not both');
      return { kind: RestrictionKind.PURPOSE, purpose: input.purpose.trim() };
  }
}

function receipt(donor: string, property: string, quantity: string, input: DonationInputBase, context: DonationContext): JsonObject {
  // 慈善法 Art. 38: donor, kind and quantity of property, organisation, handler, date
  return {
    donor,
    property,
    quantity,
    organisation: context.charity.name,
    handler: input.handler.trim(),
    date: chinaDate(input.receivedAt),
  };
}

function money(text: string, currency: string, field: string, context: DonationContext): MoneyValue {
  const prefix = context.fieldPrefix ?? 'input.';
  return moneyInput(text, currency, context.charity.currency, `${prefix}${field}`, `${prefix}currency`);
}

function bad(context: DonationContext, field: string, message: string): DomainError {
  return DomainError.badInput(`${context.fieldPrefix ?? 'input.'}${field}`, message);
}

/**
 * DONATION_REFUNDED: a stated amount, or (decided under the lock) all that is
 * still unspent of the gift. The books check the gift is restricted and has it.
 */
export function refundRequest(input: RefundDonationInput, charity: { currency: string }, now: Date): EntryRequest {
  const occurredAt = pastInstant(input.refundedAt, now, 'input.refundedAt');
  currencyInput(input.currency, charity.currency, 'input.currency');
  const stated = input.amount === undefined ? undefined : moneyInput(input.amount, input.currency, charity.currency, 'input.amount');
  return {
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('refundDonation', input),
    decide: (books) => {
      const lot = books.moneyLots.get(input.donationSequence);
      const amount = stated ?? { currency: charity.currency, minorUnits: lot?.remaining ?? 0 };
      if (amount.minorUnits === 0) {
        throw DomainError.badInput('input.donationSequence', lot ? 'nothing of this gift is left to refund' : 'is not a gift of money on this chain');
      }
      return {
        type: EntryType.DONATION_REFUNDED,
        occurredAt,
        payload: { donationSequence: input.donationSequence, amount, reason: input.reason.trim() },
      };
    },
  };
}
