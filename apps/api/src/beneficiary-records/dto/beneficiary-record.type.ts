import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IdDocumentType } from '../identity-documents.js';
import { BeneficiaryCategoryKind } from './enroll-beneficiary.input.js';

@ObjectType()
export class IdDocument {
  @Field(() => IdDocumentType)
  type!: IdDocumentType;

  @Field({ description: 'The number, normalized (no spaces, upper-case).' })
  number!: string;
}

@ObjectType()
export class BeneficiaryContact {
  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  address!: string | null;

  @Field(() => String, { nullable: true })
  guardian!: string | null;
}

@ObjectType()
export class BeneficiaryCategory {
  @Field(() => BeneficiaryCategoryKind)
  kind!: BeneficiaryCategoryKind;

  @Field(() => Int, { nullable: true })
  disabilityLevel!: number | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

@ObjectType()
export class BeneficiaryRegion {
  @Field()
  code!: string;

  @Field(() => String, { nullable: true })
  district!: string | null;

  @Field(() => String, { nullable: true })
  street!: string | null;
}

@ObjectType({
  description: 'A person’s personal data as one charity enrolled them. CHARITY (its own people) and REGULATOR only; every read is in the access log.',
})
export class BeneficiaryRecord {
  @Field(() => ID)
  enrollmentId!: string;

  @Field(() => ID)
  charityId!: string;

  @Field()
  pseudonym!: string;

  @Field()
  commitment!: string;

  @Field({ description: 'The commitment’s salt (hex): SHA-256(salt ‖ UTF-8 of the normalized ID number) is the commitment, so an auditor can check it.' })
  commitmentSalt!: string;

  @Field()
  name!: string;

  @Field(() => IdDocument)
  idDocument!: IdDocument;

  @Field()
  dateOfBirth!: string;

  @Field(() => BeneficiaryContact, { nullable: true })
  contact!: BeneficiaryContact | null;

  @Field(() => [BeneficiaryCategory])
  categories!: BeneficiaryCategory[];

  @Field(() => BeneficiaryRegion)
  region!: BeneficiaryRegion;

  @Field()
  enrolledAt!: Date;
}

@ObjectType({ description: 'An erased enrollment: its key and salt are destroyed, its personal data can no longer be read by anyone.' })
export class BeneficiaryErasure {
  @Field(() => ID)
  enrollmentId!: string;

  @Field(() => ID)
  charityId!: string;

  @Field()
  pseudonym!: string;

  @Field()
  erasedAt!: Date;
}
