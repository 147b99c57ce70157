import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Role } from '../api-key.entity.js';

/** Roles an admin can issue keys for. */
export enum IssuableRole {
  CHARITY = Role.CHARITY,
  REGULATOR = Role.REGULATOR,
}

registerEnumType(IssuableRole, {
  name: 'IssuableRole',
  valuesMap: {
    CHARITY: { description: 'Writes the ledger of one charity (charityId required).' },
    REGULATOR: { description: 'Reads everything, writes nothing.' },
  },
});

@InputType()
export class IssueApiKeyInput {
  @Field(() => IssuableRole)
  @IsIn([IssuableRole.CHARITY, IssuableRole.REGULATOR])
  role!: IssuableRole;

  @Field(() => ID, { nullable: true, description: 'Required for CHARITY keys, refused for others.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a charity id (UUID)' })
  charityId?: string;

  @Field({ nullable: true, defaultValue: '', description: 'Who or what the key is for, e.g. "finance office".' })
  @IsOptional()
  @MaxLength(200)
  label!: string;
}
