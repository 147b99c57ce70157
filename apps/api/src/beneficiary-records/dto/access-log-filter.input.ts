import { Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { AccessAction, AccessOutcome } from './access-log.type.js';

@InputType({ description: 'Narrows the access log; every field is optional.' })
export class BeneficiaryAccessLogFilter {
  @Field(() => ID, { nullable: true, description: 'Accesses to this charity’s people (a CHARITY key sees only its own).' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a charity id (UUID)' })
  charityId?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(128)
  pseudonym?: string;

  @Field(() => ID, { nullable: true, description: 'Accesses made with this API key.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an API key id (UUID)' })
  actorKeyId?: string;

  @Field(() => AccessAction, { nullable: true })
  @IsOptional()
  @IsEnum(AccessAction)
  action?: AccessAction;

  @Field(() => AccessOutcome, { nullable: true })
  @IsOptional()
  @IsEnum(AccessOutcome)
  outcome?: AccessOutcome;

  @Field({ nullable: true, description: 'From this instant (inclusive).' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Before this instant (exclusive).' })
  @IsOptional()
  @IsDate()
  to?: Date;
}
