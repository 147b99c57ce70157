import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { fixedRequest, type LedgerEntryRecord } from '../ledger/ledger.types.js';
import { decideDisbursement, decideSelection } from './beneficiaries.decide.js';
import type { RecordDisbursementInput } from './dto/record-disbursement.input.js';
import type { SelectBeneficiariesInput } from './dto/select-beneficiaries.input.js';

@Injectable()
export class BeneficiariesService {
  constructor(private readonly ledger: LedgerService) {}

  async select(actor: Actor, input: SelectBeneficiariesInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideSelection(input, { currency: charity.currency, now: new Date() })),
    ]);
    return entry;
  }

  async disburse(actor: Actor, input: RecordDisbursementInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideDisbursement(input, { currency: charity.currency, now: new Date() })),
    ]);
    return entry;
  }
}
