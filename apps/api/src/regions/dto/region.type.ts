import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A Shenzhen district or street from the codelist.' })
export class RegionType {
  @Field({ description: 'Code to use in inputs, e.g. SZ-FUTIAN or SZ-FUTIAN-YUANLING.' })
  code!: string;

  @Field()
  name!: string;

  @Field()
  nameEn!: string;

  @Field({ description: 'DISTRICT or STREET.' })
  level!: string;

  @Field({ description: 'The district the region is in (itself for a district).' })
  district!: string;

  @Field(() => String, { nullable: true, description: 'GB/T 2260 code of a district, where it has one.' })
  gbCode!: string | null;
}
