import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ProjectCategory } from './open-project.input.js';

@ObjectType({ description: 'A charitable project, as its entries opened (and perhaps closed) it.' })
export class ProjectType {
  @Field(() => ID)
  charityId!: string;

  @Field()
  projectId!: string;

  @Field()
  title!: string;

  @Field()
  purpose!: string;

  @Field(() => ProjectCategory)
  category!: string;

  @Field({ description: 'Region code.' })
  regionCode!: string;

  @Field(() => String, { nullable: true, description: 'Shenzhen district code, when in Shenzhen.' })
  district!: string | null;

  @Field(() => String, { nullable: true, description: 'Shenzhen street code, when given.' })
  street!: string | null;

  @Field()
  startDate!: string;

  @Field()
  endDate!: string;

  @Field({ description: 'Decimal amount in the charity’s currency.' })
  budget!: string;

  @Field()
  publicFundraising!: boolean;

  @Field({ description: 'OPEN or CLOSED.' })
  status!: string;

  @Field(() => Int, { description: 'Sequence of the entry that opened it.' })
  openedSequence!: number;

  @Field(() => Int, { nullable: true })
  closedSequence!: number | null;
}
