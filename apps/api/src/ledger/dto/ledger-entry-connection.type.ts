import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PageInfo } from '../../common/page-info.type.js';
import { LedgerEntry } from './ledger-entry.type.js';

@ObjectType()
export class LedgerEntryEdge {
  @Field()
  cursor!: string;

  @Field(() => LedgerEntry)
  node!: LedgerEntry;
}

@ObjectType({ description: "A page of a charity's chain, in sequence order (Relay connection)." })
export class LedgerEntryConnection {
  @Field(() => [LedgerEntryEdge])
  edges!: LedgerEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Number of entries in the whole chain.' })
  totalCount!: number;
}
