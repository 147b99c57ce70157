import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsEnum, IsOptional, Matches, ValidateNested } from 'class-validator';
import { LedgerInputBase } from '../../ledger/dto/ledger-input.base.js';
import { Text } from '../../common/input-rules.js';

export enum DonorType {
  INDIVIDUAL = 'INDIVIDUAL',
  ORGANISATION = 'ORGANISATION',
}

export enum RestrictionKind {
  UNRESTRICTED = 'UNRESTRICTED',
  PROJECT = 'PROJECT',
  PURPOSE = 'PURPOSE',
}

registerEnumType(DonorType, { name: 'DonorType' });
registerEnumType(RestrictionKind, {
  name: 'RestrictionKind',
  valuesMap: {
    UNRESTRICTED: { description: "Joins the charity's general pool." },
    PROJECT: { description: 'Earmarked for one project (projectId).' },
    PURPOSE: { description: 'Earmarked for a stated purpose (purpose).' },
  },
});

@InputType({ description: "Who gave. The name is published only with the donor's consent." })
export class DonorInput {
  @Field({ nullable: true, description: "Donor's name; kept off the public ledger unless publishName is true." })
  @IsOptional()
  @Text(200)
  name?: string;

  @Field({ defaultValue: false, description: 'The donor consented to publish the name on the ledger.' })
  @IsBoolean()
  publishName!: boolean;

  @Field(() => DonorType, { defaultValue: DonorType.INDIVIDUAL })
  @IsEnum(DonorType)
  type!: DonorType;
}

@InputType({ description: 'What the gift may be used for.' })
export class RestrictionInput {
  @Field(() => RestrictionKind)
  @IsEnum(RestrictionKind)
  kind!: RestrictionKind;

  @Field({ nullable: true, description: 'For PROJECT: the project id.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a project id (letters, digits, . _ -; at most 64)' })
  projectId?: string;

  @Field({ nullable: true, description: 'For PURPOSE: the stated purpose.' })
  @IsOptional()
  @Text(500)
  purpose?: string;
}

/** Fields shared by cash and in-kind gifts. */
@InputType({ isAbstract: true })
export abstract class DonationInputBase extends LedgerInputBase {
  @Field(() => DonorInput)
  @ValidateNested()
  @Type(() => DonorInput)
  donor!: DonorInput;

  @Field(() => RestrictionInput, { nullable: true, description: 'Default: unrestricted.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RestrictionInput)
  restriction?: RestrictionInput;

  @Field({ description: 'When the charity received the gift (not in the future).' })
  @IsDate()
  receivedAt!: Date;

  @Field({ description: 'Staff member who handled the gift (经办人), printed on the receipt.' })
  @Text(100)
  handler!: string;
}
