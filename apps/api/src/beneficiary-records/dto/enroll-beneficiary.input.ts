import { Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CalendarDate, Text } from '../../common/input-rules.js';
import { RegionInput } from '../../regions/dto/region.input.js';
import { IdDocumentType } from '../identity-documents.js';

/** Why a person is supported: the categories of Shenzhen's social assistance and of the charity's criteria. */
export enum BeneficiaryCategoryKind {
  MINIMUM_LIVING_SUPPORT = 'MINIMUM_LIVING_SUPPORT',
  LOW_INCOME = 'LOW_INCOME',
  EXTREME_POVERTY_SUPPORT = 'EXTREME_POVERTY_SUPPORT',
  DISABILITY = 'DISABILITY',
  SERIOUS_ILLNESS = 'SERIOUS_ILLNESS',
  ORPHAN = 'ORPHAN',
  UNSUPPORTED_CHILD = 'UNSUPPORTED_CHILD',
  ELDERLY_ALONE = 'ELDERLY_ALONE',
  OTHER = 'OTHER',
}

registerEnumType(BeneficiaryCategoryKind, {
  name: 'BeneficiaryCategoryKind',
  valuesMap: {
    MINIMUM_LIVING_SUPPORT: { description: '最低生活保障家庭 (minimum living support household)' },
    LOW_INCOME: { description: '低收入家庭 (low-income household)' },
    EXTREME_POVERTY_SUPPORT: { description: '特困供养人员 (person in extreme poverty under state support)' },
    DISABILITY: { description: '残疾人, with the level of the disability certificate (1–4, GB/T 26341)' },
    SERIOUS_ILLNESS: { description: '重特大疾病 (serious or major illness)' },
    ORPHAN: { description: '孤儿 (orphan)' },
    UNSUPPORTED_CHILD: { description: '事实无人抚养儿童 (child without de facto care)' },
    ELDERLY_ALONE: { description: '独居 / 空巢老人 (elderly person living alone)' },
    OTHER: { description: 'Other: describe it in `description`' },
  },
});

registerEnumType(IdDocumentType, {
  name: 'IdDocumentType',
  valuesMap: {
    RESIDENT_ID: { description: '居民身份证: 18 characters, check character verified (GB 11643)' },
    RESIDENCE_PERMIT: { description: '港澳台居民居住证: a GB 11643 number, check character verified' },
    FOREIGN_PERMANENT_RESIDENT_ID: { description: '外国人永久居留身份证' },
    PASSPORT: { description: 'Passport' },
    BIRTH_CERTIFICATE: { description: '出生医学证明, for a child without a resident ID yet' },
    OTHER: { description: 'Another official document' },
  },
});

@InputType()
export class IdDocumentInput {
  @Field(() => IdDocumentType)
  @IsEnum(IdDocumentType)
  type!: IdDocumentType;

  @Field({ description: 'The number as written; spaces are removed and letters upper-cased (x → X).' })
  @MaxLength(64)
  number!: string;
}

@InputType()
export class BeneficiaryContactInput {
  @Field({ nullable: true, description: 'Telephone number, e.g. 13800138000 or +852 6123 4567.' })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{4,24}$/, { message: 'must be a telephone number: digits, spaces or hyphens, optionally starting with +' })
  phone?: string;

  @Field({ nullable: true, description: 'Postal address.' })
  @IsOptional()
  @Text(300)
  address?: string;

  @Field({ nullable: true, description: 'Guardian or contact person (for a child or a person who cannot be reached directly).' })
  @IsOptional()
  @Text(100)
  guardian?: string;
}

@InputType()
export class BeneficiaryCategoryInput {
  @Field(() => BeneficiaryCategoryKind)
  @IsEnum(BeneficiaryCategoryKind)
  kind!: BeneficiaryCategoryKind;

  @Field(() => Int, { nullable: true, description: 'For DISABILITY (required there, refused elsewhere): the certificate level, 1 (most severe) to 4.' })
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be 1 to 4' })
  @Max(4, { message: 'must be 1 to 4' })
  disabilityLevel?: number;

  @Field({ nullable: true, description: 'Required for OTHER; optional detail otherwise.' })
  @IsOptional()
  @Text(200)
  description?: string;
}

@InputType({ description: 'A person’s personal data, kept off the ledger, encrypted for this person alone.' })
export class EnrollBeneficiaryInput {
  @Field(() => ID, { description: 'The enrolling charity (must be the key’s charity).' })
  @IsUUID('all', { message: 'must be a charity id (UUID)' })
  charityId!: string;

  @Field({ description: 'Full name as on the ID document.' })
  @Text(100)
  name!: string;

  @Field(() => IdDocumentInput)
  @ValidateNested()
  @Type(() => IdDocumentInput)
  idDocument!: IdDocumentInput;

  @Field({ description: 'YYYY-MM-DD; for a resident ID it must be the date in the number.' })
  @CalendarDate()
  dateOfBirth!: string;

  @Field(() => BeneficiaryContactInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => BeneficiaryContactInput)
  contact?: BeneficiaryContactInput;

  @Field(() => [BeneficiaryCategoryInput], { description: 'At least one; each kind at most once.' })
  @ArrayMinSize(1, { message: 'must list at least one category' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => BeneficiaryCategoryInput)
  categories!: BeneficiaryCategoryInput[];

  @Field(() => RegionInput, { description: 'Where the person lives.' })
  @ValidateNested()
  @Type(() => RegionInput)
  region!: RegionInput;
}
