import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../common/paginated.type.js';
import { LedgerEntry } from './ledger-entry.type.js';

@ObjectType({ description: "A page of a charity's chain, in sequence order (Relay connection)." })
export class LedgerEntryConnection extends Paginated(LedgerEntry, 'LedgerEntry') {
  @Field(() => Int, { description: 'Number of entries in the whole chain.' })
  totalCount!: number;
}
