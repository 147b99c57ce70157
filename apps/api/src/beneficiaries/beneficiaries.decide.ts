import { DomainError } from '../common/domain-error.js';
import { chinaDate, chinaMidnight, dateInput, moneyInput, pastInstant } from '../common/input-values.js';
import { EntryType, type EntryDraft } from '../ledger/ledger.types.js';
import { requestHash } from '../ledger/request-hash.js';
import { regionPayload } from '../regions/region-input.js';
import type { RecordDisbursementInput } from './dto/record-disbursement.input.js';
import type { SelectBeneficiariesInput } from './dto/select-beneficiaries.input.js';

export interface BeneficiaryContext {
  currency: string;
  now: Date;
}

/** A resident ID number (18 characters) or a run of CJK characters (a name) has no place in a pseudonym. */
const ID_NUMBER = /\d{17}[\dXx]/;

function checkPseudonym(pseudonym: string, field: string): void {
  if (ID_NUMBER.test(pseudonym) || /^\d{15}$/.test(pseudonym)) {
    throw DomainError.badInput(field, 'looks like an ID number; the ledger takes only pseudonyms');
  }
}

/** BENEFICIARIES_SELECTED. Pure; whether the project is open is for the books to say. */
export function decideSelection(input: SelectBeneficiariesInput, context: BeneficiaryContext): EntryDraft {
  const decidedOn = dateInput(input.decidedOn, 'input.decidedOn');
  if (decidedOn > chinaDate(context.now)) throw DomainError.badInput('input.decidedOn', 'is in the future');
  const seen = new Set<string>();
  const beneficiaries = input.beneficiaries.map((beneficiary, index) => {
    const field = `input.beneficiaries[${index}]`;
    checkPseudonym(beneficiary.pseudonym, `${field}.pseudonym`);
    if (seen.has(beneficiary.pseudonym)) throw DomainError.badInput(`${field}.pseudonym`, 'appears twice in this selection');
    seen.add(beneficiary.pseudonym);
    return { pseudonym: beneficiary.pseudonym, commitment: beneficiary.commitment, region: regionPayload(beneficiary.region, `${field}.region`) };
  });
  return {
    type: EntryType.BENEFICIARIES_SELECTED,
    occurredAt: chinaMidnight(decidedOn),
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('selectBeneficiaries', input),
    payload: {
      projectId: input.projectId,
      criteria: { text: input.criteria.text.trim(), version: input.criteria.version.trim() },
      decisionBody: input.decisionBody.trim(),
      decidedOn,
      beneficiaries,
    },
  };
}

/** DISBURSEMENT_RECORDED. Pure; selection, funds and stock are for the books to check. */
export function decideDisbursement(input: RecordDisbursementInput, context: BeneficiaryContext): EntryDraft {
  checkPseudonym(input.beneficiary, 'input.beneficiary');
  const goods = input.goods ?? [];
  if (!input.cash && goods.length === 0) throw DomainError.badInput('input.cash', 'give cash, goods, or both');
  if (input.cash && !input.currency) throw DomainError.badInput('input.currency', 'is required with cash');
  return {
    type: EntryType.DISBURSEMENT_RECORDED,
    occurredAt: pastInstant(input.disbursedAt, context.now, 'input.disbursedAt'),
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('recordDisbursement', input),
    payload: {
      projectId: input.projectId,
      beneficiary: input.beneficiary,
      ...(input.cash ? { cash: moneyInput(input.cash, input.currency!, context.currency, 'input.cash') } : {}),
      ...(goods.length > 0
        ? {
            goods: goods.map((line) => ({
              itemCode: line.itemCode,
              quantity: line.quantity,
              ...(line.fromDonationSequence ? { fromDonationSequence: line.fromDonationSequence } : {}),
            })),
          }
        : {}),
      method: input.method,
      deliveryEvidenceSha256: input.deliveryEvidenceSha256,
    },
  };
}
