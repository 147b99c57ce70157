import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyType } from '../../common/money.type.js';
import { ProjectCategory } from '../../projects/dto/open-project.input.js';

@ObjectType({ description: 'What one charity gave one person in the period, reversed disbursements left out.' })
export class DuplicateAidCharity {
  @Field(() => ID)
  charityId!: string;

  @Field()
  charityName!: string;

  @Field(() => Int, { description: 'Disbursements (not reversed) in the period.' })
  disbursements!: number;

  @Field(() => [String], { description: 'The projects they were recorded under.' })
  projectIds!: string[];

  @Field(() => MoneyType, { description: 'Cash given.' })
  cash!: MoneyType;

  @Field(() => MoneyType, {
    description:
      'Value of the goods given: purchase price for bought goods; for gifts in kind, the gift’s declared fair value shared equally over its units (rounded to the fen).',
  })
  goodsValue!: MoneyType;

  @Field(() => Int, { description: 'Units of goods given (all item codes together).' })
  goodsUnits!: number;

  @Field()
  firstDisbursedAt!: Date;

  @Field()
  lastDisbursedAt!: Date;
}

@ObjectType({ description: 'A pseudonym that received aid in the category from more than one charity in the period.' })
export class DuplicateAidPerson {
  @Field()
  pseudonym!: string;

  @Field(() => [DuplicateAidCharity], { description: 'Each charity that gave, by charity id.' })
  charities!: DuplicateAidCharity[];
}

@ObjectType({ description: 'Cross-charity duplicate aid (REGULATOR only; never public, never exported).' })
export class DuplicateAidReport {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field(() => ProjectCategory)
  category!: string;

  @Field(() => [DuplicateAidPerson], { description: 'By pseudonym.' })
  people!: DuplicateAidPerson[];
}
