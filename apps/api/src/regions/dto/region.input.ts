import { Field, InputType } from '@nestjs/graphql';
import { MaxLength } from 'class-validator';

@InputType({ description: 'Where: a Shenzhen district or street code from the `regions` list (e.g. SZ-FUTIAN-YUANLING), or another region code (e.g. GB/T 2260 440100).' })
export class RegionInput {
  @Field()
  @MaxLength(64)
  code!: string;
}
