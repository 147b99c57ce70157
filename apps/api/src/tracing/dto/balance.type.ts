import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MoneyType } from '../../common/money.type.js';

@ObjectType()
export class SpentByClass {
  @Field(() => MoneyType)
  charitableActivity!: MoneyType;

  @Field(() => MoneyType)
  management!: MoneyType;

  @Field(() => MoneyType)
  fundraising!: MoneyType;

  @Field(() => MoneyType)
  total!: MoneyType;
}

@ObjectType()
export class GoodsStock {
  @Field()
  itemCode!: string;

  @Field()
  unit!: string;

  @Field(() => Int)
  units!: number;
}

@ObjectType({ description: 'A charity’s books from its chain (reversed entries excluded).' })
export class CharityBalance {
  @Field(() => ID)
  charityId!: string;

  @Field(() => MoneyType, { description: 'Gifts of money restricted to a project or purpose.' })
  receivedRestricted!: MoneyType;

  @Field(() => MoneyType)
  receivedUnrestricted!: MoneyType;

  @Field(() => Int)
  inKindGifts!: number;

  @Field(() => MoneyType, { description: 'Fair value of the goods given.' })
  inKindValue!: MoneyType;

  @Field(() => SpentByClass)
  spent!: SpentByClass;

  @Field(() => MoneyType)
  refunded!: MoneyType;

  @Field(() => MoneyType)
  availableRestricted!: MoneyType;

  @Field(() => MoneyType)
  availableUnrestricted!: MoneyType;

  @Field(() => MoneyType, { description: 'received = spent + refunded + available.' })
  available!: MoneyType;

  @Field(() => [GoodsStock])
  goodsInStock!: GoodsStock[];
}

@ObjectType({ description: 'A project’s books: its restricted gifts, what was spent on it, and what it can still use.' })
export class ProjectBalance {
  @Field(() => ID)
  charityId!: string;

  @Field()
  projectId!: string;

  @Field()
  status!: string;

  @Field(() => MoneyType, { description: 'Gifts of money restricted to the project now (including leftovers moved in from a closed project).' })
  receivedRestricted!: MoneyType;

  @Field(() => SpentByClass, { description: 'Spent on the project, from its own gifts and from the pool.' })
  spent!: SpentByClass;

  @Field(() => MoneyType)
  availableRestricted!: MoneyType;

  @Field(() => MoneyType, { description: 'Unrestricted money the project could also draw on (shared with the charity’s other work).' })
  availablePool!: MoneyType;

  @Field(() => MoneyType, { description: 'availableRestricted + availablePool: what spending on the project may use.' })
  available!: MoneyType;

  @Field(() => [GoodsStock])
  goodsInStock!: GoodsStock[];
}
