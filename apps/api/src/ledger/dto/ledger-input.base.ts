import { Field, ID, InputType } from '@nestjs/graphql';
import { IsUUID, Matches } from 'class-validator';

/** What every ledger mutation carries: whose chain, and the client's idempotency key. */
@InputType({ isAbstract: true })
export abstract class LedgerInputBase {
  @Field(() => ID, { description: 'The charity whose chain records the entry (must be the key’s charity).' })
  @IsUUID('all', { message: 'must be a charity id (UUID)' })
  charityId!: string;

  @Field({ description: 'Client-chosen key: a retry with the same key and input returns the original entry.' })
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'must be 1 to 128 printable ASCII characters without spaces' })
  idempotencyKey!: string;
}
