import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'What enrollBeneficiary gives back: the pseudonym and commitment to use in selectBeneficiaries. No personal data: that stays sealed off the ledger.',
})
export class BeneficiaryEnrollment {
  @Field(() => ID)
  enrollmentId!: string;

  @Field(() => ID)
  charityId!: string;

  @Field({ description: 'The person’s pseudonym, the same at every charity (keyed HMAC of the ID number): `bnf_` and four groups of 16 hex digits.' })
  pseudonym!: string;

  @Field({ description: 'Salted commitment to the ID number, SHA-256 lowercase hex: pass it with the pseudonym to selectBeneficiaries.' })
  commitment!: string;

  @Field()
  enrolledAt!: Date;

  @Field({ description: 'True when this charity had already enrolled the person with the same details: this is that enrollment, and nothing new was stored.' })
  alreadyEnrolled!: boolean;
}
