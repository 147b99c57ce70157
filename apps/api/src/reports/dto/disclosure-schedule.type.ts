import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum DisclosureKind {
  PERIODIC = 'PERIODIC',
  FINAL_REPORT = 'FINAL_REPORT',
  LEFTOVER_HANDLING = 'LEFTOVER_HANDLING',
}

export enum DisclosureStatus {
  MET = 'MET',
  DUE = 'DUE',
  OVERDUE = 'OVERDUE',
}

registerEnumType(DisclosureKind, {
  name: 'DisclosureKind',
  valuesMap: {
    PERIODIC: { description: 'A progress report at least every three months (慈善法 Art. 79).' },
    FINAL_REPORT: { description: 'The full report within three months of the end (慈善法 Art. 79).' },
    LEFTOVER_HANDLING: { description: 'What became of the leftovers, within three months of the end (MCA Order No. 81): the PROJECT_CLOSED entry.' },
  },
});
registerEnumType(DisclosureStatus, {
  name: 'DisclosureStatus',
  valuesMap: {
    MET: { description: 'An entry met it (perhaps late).' },
    DUE: { description: 'Not met yet, and not yet past its due date.' },
    OVERDUE: { description: 'Not met, and past its due date.' },
  },
});

@ObjectType('DisclosureObligation')
export class DisclosureObligationType {
  @Field(() => DisclosureKind)
  kind!: DisclosureKind;

  @Field({ description: 'The last day on which it is on time (YYYY-MM-DD).' })
  dueOn!: string;

  @Field(() => DisclosureStatus)
  status!: DisclosureStatus;

  @Field(() => Int, { nullable: true, description: 'Sequence of the report (or closing entry) that met it.' })
  satisfiedBy!: number | null;

  @Field(() => String, { nullable: true, description: 'Date that entry was recorded.' })
  satisfiedOn!: string | null;

  @Field({ description: 'Met after its due date.' })
  late!: boolean;

  @Field({ description: 'The rule and its legal source.' })
  basis!: string;
}

@ObjectType('DisclosureSchedule', { description: "What a project must disclose and when, and what it did (docs/reports.md)." })
export class DisclosureScheduleType {
  @Field(() => ID)
  charityId!: string;

  @Field()
  projectId!: string;

  @Field({ description: 'The day the statuses are judged at (today in China Standard Time).' })
  asOf!: string;

  @Field({ description: 'Discloses at least every three months: public fundraising, or longer than six months.' })
  periodic!: boolean;

  @Field({ description: 'The end the final deadlines run from: the closing date if closed, else the planned end date.' })
  end!: string;

  @Field(() => [DisclosureObligationType])
  obligations!: DisclosureObligationType[];
}

@ObjectType('OverdueDisclosure', { description: 'A disclosure past its due date and not met.' })
export class OverdueDisclosureType {
  @Field(() => ID)
  charityId!: string;

  @Field()
  charityName!: string;

  @Field()
  projectId!: string;

  @Field()
  projectTitle!: string;

  @Field(() => DisclosureKind)
  kind!: DisclosureKind;

  @Field()
  dueOn!: string;

  @Field(() => Int, { description: 'Days past the due date, as of the day asked.' })
  daysOverdue!: number;

  @Field()
  basis!: string;
}
