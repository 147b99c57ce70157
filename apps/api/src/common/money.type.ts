import { Field, ObjectType } from '@nestjs/graphql';
import { formatAmount } from '@charity-ledger/ledger-core';

@ObjectType('Money', { description: 'An amount: a decimal string (never a float) and its ISO 4217 currency.' })
export class MoneyType {
  @Field({ description: 'Decimal amount, e.g. "500.00".' })
  amount!: string;

  @Field()
  currency!: string;
}

export function money(minorUnits: number | string | bigint, currency: string): MoneyType {
  return { amount: formatAmount({ currency, minorUnits: Number(minorUnits) }), currency };
}
