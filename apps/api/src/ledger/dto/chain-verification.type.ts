import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'The result of recomputing every hash of a chain from its stored bytes.' })
export class ChainVerification {
  @Field({ description: 'True when every entry hashes to its stored hash and links to the one before.' })
  valid!: boolean;

  @Field(() => Int, { description: 'Number of entries that verified, from sequence 1.' })
  length!: number;

  @Field({ description: 'Hash of the last entry that verified.' })
  headHash!: string;

  @Field(() => Int, { nullable: true, description: 'First sequence that failed, if any.' })
  firstInvalidSequence!: number | null;

  @Field(() => String, { nullable: true, description: 'Why it failed.' })
  reason!: string | null;
}
