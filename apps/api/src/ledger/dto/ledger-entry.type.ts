import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { EntryType, type LedgerEntryRecord } from '../ledger.types.js';

registerEnumType(EntryType, {
  name: 'LedgerEntryType',
  description: 'What an entry records. Each type has its payload layout in docs/ledger-format.md.',
  valuesMap: {
    CASH_DONATION: { description: 'A gift of money.' },
    IN_KIND_DONATION: { description: 'A gift of goods, with their valuation.' },
    PROJECT_OPENED: { description: 'A charitable project begins: purpose, category, region, dates, budget.' },
    PROJECT_CLOSED: { description: 'A project ends, with what happens to its leftover funds (慈善法 Art. 58).' },
    PROCUREMENT_RECORDED: { description: 'Goods bought for a project, with supplier, lines and invoice evidence.' },
    EXPENSE_RECORDED: { description: 'Money spent, by cost class (charitable activity, management, fundraising).' },
    BENEFICIARIES_SELECTED: { description: 'People selected for a project, by pseudonym only, with the criteria used.' },
    DISBURSEMENT_RECORDED: { description: 'Cash and/or goods given to a selected beneficiary.' },
    DONATION_REFUNDED: { description: 'Unspent restricted money returned to its donor.' },
    ENTRY_REVERSED: { description: 'An earlier entry reversed in full, with the published reason (更正说明).' },
    PROGRESS_REPORT_PUBLISHED: {
      description: "A project's progress report for a month or quarter: narrative, indicators, media, and the period's figures from the books.",
    },
  },
});

@ObjectType('LedgerEntry', {
  description: "One entry of a charity's append-only hash chain. Nothing in it can change once recorded; corrections are new entries.",
})
export class LedgerEntry {
  @Field(() => Int, { description: 'Global position across all charities: 1, 2, 3 … in the order entries were committed.' })
  position!: number;

  @Field(() => Int, { description: "Position in this charity's chain: 1, 2, 3 … without gaps." })
  sequence!: number;

  @Field(() => EntryType)
  type!: EntryType;

  @Field(() => ID)
  charityId!: string;

  @Field({ description: 'When the recorded event happened (e.g. when the gift was received).' })
  occurredAt!: Date;

  @Field({ description: 'When the ledger recorded it.' })
  recordedAt!: Date;

  @Field(() => ID, { description: 'Id of the API key that recorded the entry.' })
  actorKeyId!: string;

  @Field({ description: "Hash of the previous entry of this charity's chain (64 zeros for the first)." })
  prevHash!: string;

  @Field({ description: 'SHA-256 (lowercase hex) of the UTF-8 bytes of canonicalJson.' })
  hash!: string;

  @Field({ description: 'The exact RFC 8785 canonical JSON that was hashed. See docs/ledger-format.md.' })
  canonicalJson!: string;

  @Field(() => GraphQLJSONObject, { description: 'The entry payload (also inside canonicalJson).' })
  payload!: Record<string, unknown>;

  @Field({ description: 'Whether a later entry reversed this one (it stays on the chain).' })
  reversed!: boolean;

  @Field(() => Int, { nullable: true, description: 'Sequence of the reversing entry (its payload holds the published reason).' })
  reversedBy!: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For a newly recorded gift only: the receipt code the donor uses with traceDonation. Shown once (only its hash is stored); null on retries — issue a new one with issueReceiptCode.',
  })
  receiptCode?: string | null;
}

export function toLedgerEntry(record: LedgerEntryRecord): LedgerEntry {
  return {
    position: record.position,
    sequence: record.sequence,
    type: record.type,
    charityId: record.charityId,
    occurredAt: record.occurredAt,
    recordedAt: record.recordedAt,
    actorKeyId: record.actorKeyId,
    prevHash: record.prevHash,
    hash: record.hash,
    canonicalJson: record.canonicalJson.toString('utf8'),
    payload: record.payload,
    reversed: record.reversedBy !== null,
    reversedBy: record.reversedBy,
  };
}
