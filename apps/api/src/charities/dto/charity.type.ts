import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CharityKind, type CharityEntity } from '../charity.entity.js';

registerEnumType(CharityKind, {
  name: 'CharityKind',
  description: 'Legal form under the Charity Law; it decides which spending rules apply.',
  valuesMap: {
    PUBLIC_FUNDRAISING_FOUNDATION: { description: '具有公开募捐资格的基金会' },
    NON_PUBLIC_FUNDRAISING_FOUNDATION: { description: '不具有公开募捐资格的基金会' },
    SOCIAL_ORGANISATION: { description: '社会团体' },
    SOCIAL_SERVICE_AGENCY: { description: '社会服务机构' },
  },
});

@ObjectType({ description: 'A registered charity; each has its own hash chain.' })
export class Charity {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Unified social credit code.' })
  creditCode!: string;

  @Field(() => CharityKind)
  kind!: CharityKind;

  @Field({ description: 'ISO 4217 currency of all its amounts.' })
  currency!: string;

  @Field()
  registeredAt!: Date;
}

export function toCharity(entity: CharityEntity): Charity {
  return {
    id: entity.id,
    name: entity.name,
    creditCode: entity.creditCode,
    kind: entity.kind,
    currency: entity.currency,
    registeredAt: entity.registeredAt,
  };
}
