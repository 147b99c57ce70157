import { Field, ObjectType } from '@nestjs/graphql';
import { Charity } from './charity.type.js';

@ObjectType()
export class CharityRegistration {
  @Field(() => Charity)
  charity!: Charity;

  @Field({ description: "The charity's first CHARITY API key. Shown once: only its hash is stored." })
  apiKey!: string;
}
