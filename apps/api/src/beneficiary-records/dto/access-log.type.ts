import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Paginated } from '../../common/paginated.type.js';

export enum AccessAction {
  ENROLL = 'ENROLL',
  READ = 'READ',
  ERASE = 'ERASE',
}

export enum AccessOutcome {
  GRANTED = 'GRANTED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  GONE = 'GONE',
  CONFLICT = 'CONFLICT',
}

registerEnumType(AccessAction, {
  name: 'BeneficiaryAccessAction',
  valuesMap: {
    ENROLL: { description: 'Personal data enrolled (or an existing enrollment returned).' },
    READ: { description: 'Personal data read with beneficiaryRecord.' },
    ERASE: { description: 'Personal data erased with eraseBeneficiary.' },
  },
});

registerEnumType(AccessOutcome, {
  name: 'BeneficiaryAccessOutcome',
  valuesMap: {
    GRANTED: { description: 'Done.' },
    FORBIDDEN: { description: 'Refused: the key may not do this to this charity’s people.' },
    NOT_FOUND: { description: 'The charity has no such enrollment.' },
    GONE: { description: 'The enrollment was erased before.' },
    CONFLICT: { description: 'Enrollment refused: the charity had enrolled the person with other details.' },
  },
});

@ObjectType({ description: 'One access to a beneficiary’s personal data: who, what, when, why, and whether it was allowed.' })
export class BeneficiaryAccessLogEntry {
  @Field(() => ID)
  id!: string;

  @Field()
  at!: Date;

  @Field(() => ID, { description: 'The API key used.' })
  actorKeyId!: string;

  @Field({ description: 'CHARITY, REGULATOR or ADMIN.' })
  actorRole!: string;

  @Field(() => ID, { nullable: true, description: 'For a CHARITY key: its charity.' })
  actorCharityId!: string | null;

  @Field(() => AccessAction)
  action!: AccessAction;

  @Field(() => AccessOutcome)
  outcome!: AccessOutcome;

  @Field(() => ID, { description: 'The charity whose enrollment was asked for.' })
  charityId!: string;

  @Field()
  pseudonym!: string;

  @Field(() => ID, { nullable: true })
  enrollmentId!: string | null;

  @Field(() => String, { nullable: true, description: 'The reason given (reads and erasures).' })
  reason!: string | null;
}

@ObjectType({ description: 'Access log entries, newest first (Relay connection).' })
export class BeneficiaryAccessLogConnection extends Paginated(BeneficiaryAccessLogEntry, 'BeneficiaryAccessLogEntry') {}
