import { Field, InputType } from '@nestjs/graphql';
import { CalendarDate } from '../../common/input-rules.js';

@InputType({ description: 'Calendar dates in China Standard Time, both included.' })
export class AidPeriodInput {
  @Field({ description: 'First day, YYYY-MM-DD.' })
  @CalendarDate()
  from!: string;

  @Field({ description: 'Last day, YYYY-MM-DD (included).' })
  @CalendarDate()
  to!: string;
}
