import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, MaxLength } from 'class-validator';
import { DonationInputBase } from './donation-common.input.js';
import { CurrencyCode } from '../../common/input-rules.js';

export enum DonationChannel {
  BANK_TRANSFER = 'BANK_TRANSFER',
  ONLINE_PLATFORM = 'ONLINE_PLATFORM',
  WECHAT_PAY = 'WECHAT_PAY',
  ALIPAY = 'ALIPAY',
  CASH = 'CASH',
  CHEQUE = 'CHEQUE',
  OTHER = 'OTHER',
}

registerEnumType(DonationChannel, { name: 'DonationChannel', description: 'How the money arrived.' });

@InputType({ description: 'A gift of money.' })
export class RecordDonationInput extends DonationInputBase {
  @Field({ description: 'Decimal amount, e.g. "500.00": greater than zero, no sign or exponent, at most 2 decimals for CNY.' })
  @MaxLength(32)
  amount!: string;

  @Field({ description: 'ISO 4217 code; must be the charity’s currency.' })
  @CurrencyCode()
  currency!: string;

  @Field(() => DonationChannel)
  @IsEnum(DonationChannel)
  channel!: DonationChannel;
}
