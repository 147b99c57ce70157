import { Field, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../common/page-info.type.js';
import { Charity } from './charity.type.js';

@ObjectType()
export class CharityEdge {
  @Field()
  cursor!: string;

  @Field(() => Charity)
  node!: Charity;
}

@ObjectType({ description: 'Charities in registration order (Relay connection).' })
export class CharityConnection {
  @Field(() => [CharityEdge])
  edges!: CharityEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
