import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: 'The receipt fields of 慈善法 Art. 38 for one gift, with the donor’s name even when it is not published. CHARITY (own) and REGULATOR only.',
})
export class DonationReceipt {
  @Field(() => ID)
  charityId!: string;

  @Field(() => Int)
  sequence!: number;

  @Field({ description: 'Name of the donor, or the anonymous reference when no name was given.' })
  donor!: string;

  @Field({ description: 'Whether the name appears on the public ledger.' })
  namePublished!: boolean;

  @Field({ description: 'CASH or IN_KIND.' })
  property!: string;

  @Field()
  quantity!: string;

  @Field()
  organisation!: string;

  @Field()
  handler!: string;

  @Field({ description: 'YYYY-MM-DD, China Standard Time.' })
  date!: string;
}
