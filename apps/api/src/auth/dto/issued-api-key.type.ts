import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from '../api-key.entity.js';

registerEnumType(Role, {
  name: 'Role',
  valuesMap: {
    ADMIN: { description: 'Registers charities and issues keys.' },
    CHARITY: { description: 'Writes the ledger of its own charity.' },
    REGULATOR: { description: 'Reads everything, writes nothing.' },
    PUBLIC: { description: 'Anyone without a key: reads the public ledger.' },
  },
});

@ObjectType()
export class IssuedApiKey {
  @Field(() => ID, { description: 'Key id; entries record it as actorKeyId.' })
  id!: string;

  @Field({ description: 'The key. Shown once: only its hash is stored.' })
  apiKey!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => ID, { nullable: true })
  charityId!: string | null;
}
