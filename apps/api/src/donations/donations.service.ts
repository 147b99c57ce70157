import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { CharitiesService } from '../charities/charities.service.js';
import type { CharityEntity } from '../charities/charity.entity.js';
import { DomainError } from '../common/domain-error.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { EntryType, fixedRequest, type LedgerEntryRecord } from '../ledger/ledger.types.js';
import { decideCashDonation, decideInKindDonation, refundRequest, type DonationContext } from './donation.decide.js';
import { DonorIdentityEntity } from './donor-identity.entity.js';
import { DonorIdentityProjector } from './donor-identity.projector.js';
import type { DonationReceipt } from './dto/donation-receipt.type.js';
import type { RecordDonationInput } from './dto/record-donation.input.js';
import type { RecordInKindDonationInput } from './dto/record-in-kind-donation.input.js';
import type { RefundDonationInput } from './dto/refund-donation.input.js';
import { newReceiptCode, normalizeReceiptCode, receiptCodeHash } from '../tracing/receipt-codes.js';

export const MAX_BATCH = 1_000;

/** A recorded gift and its receipt code: null when the answer is a retry (the code was shown the first time). */
export interface RecordedGift {
  entry: LedgerEntryRecord;
  receiptCode: string | null;
}

function withReceipt(entry: LedgerEntryRecord, receiptCode: string): RecordedGift {
  return { entry, receiptCode: entry.replayed ? null : receiptCode };
}

@Injectable()
export class DonationsService implements OnModuleInit {
  constructor(
    private readonly ledger: LedgerService,
    private readonly charities: CharitiesService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.ledger.registerProjector(new DonorIdentityProjector());
  }

  async recordDonation(actor: Actor, input: RecordDonationInput): Promise<RecordedGift> {
    const receiptCode = newReceiptCode();
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideCashDonation(input, this.context(charity, receiptCode))),
    ]);
    return withReceipt(entry, receiptCode);
  }

  async recordInKindDonation(actor: Actor, input: RecordInKindDonationInput): Promise<RecordedGift> {
    const receiptCode = newReceiptCode();
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideInKindDonation(input, this.context(charity, receiptCode))),
    ]);
    return withReceipt(entry, receiptCode);
  }

  /** A day's gifts at once: all appended, or none. */
  async recordDonations(actor: Actor, inputs: RecordDonationInput[]): Promise<RecordedGift[]> {
    if (inputs.length === 0) throw DomainError.badInput('inputs', 'must hold at least one donation');
    if (inputs.length > MAX_BATCH) throw DomainError.badInput('inputs', `holds ${inputs.length} donations; at most ${MAX_BATCH} at once`);
    const charityId = inputs[0].charityId;
    const other = inputs.findIndex((input) => input.charityId !== charityId);
    if (other >= 0) throw DomainError.badInput(`inputs[${other}].charityId`, 'all donations of a batch go to one charity');
    const codes = inputs.map(() => newReceiptCode());
    const entries = await this.ledger.appendAs(actor, charityId, (charity) =>
      inputs.map((input, index) =>
        fixedRequest(decideCashDonation(input, { ...this.context(charity, codes[index]), fieldPrefix: `inputs[${index}].` }), `inputs[${index}].`),
      ),
    );
    return entries.map((entry, index) => withReceipt(entry, codes[index]));
  }

  async refundDonation(actor: Actor, input: RefundDonationInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [refundRequest(input, charity, new Date())]);
    return entry;
  }

  async receipt(actor: Actor, charityId: string, sequence: number): Promise<DonationReceipt> {
    await this.charities.get(charityId);
    if (actor.role === Role.CHARITY && actor.charityId !== charityId) {
      throw DomainError.forbidden('A CHARITY key reads only its own donors’ receipts.');
    }
    const entry = await this.ledger.entry(charityId, sequence);
    if (!entry || (entry.type !== EntryType.CASH_DONATION && entry.type !== EntryType.IN_KIND_DONATION)) {
      throw DomainError.notFound(`Charity ${charityId} has no donation at sequence ${sequence}.`);
    }
    const receipt = entry.payload.receipt as Record<string, string>;
    const donor = entry.payload.donor as { displayName?: string };
    const identity = await this.dataSource.getRepository(DonorIdentityEntity).findOneBy({ charityId, sequence: String(sequence) });
    return {
      charityId,
      sequence,
      donor: identity?.name ?? receipt.donor,
      namePublished: donor.displayName !== undefined,
      property: receipt.property,
      quantity: receipt.quantity,
      organisation: receipt.organisation,
      handler: receipt.handler,
      date: receipt.date,
    };
  }

  private context(charity: CharityEntity, receiptCode: string): DonationContext {
    return {
      charity: { id: charity.id, name: charity.name, currency: charity.currency },
      now: new Date(),
      newDonorReference: () => `dnr_${randomBytes(16).toString('base64url')}`,
      receiptCodeHash: receiptCodeHash(normalizeReceiptCode(receiptCode)!),
    };
  }
}
