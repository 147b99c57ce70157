import { ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../common/paginated.type.js';
import { Charity } from './charity.type.js';

@ObjectType({ description: 'Charities in registration order (Relay connection).' })
export class CharityConnection extends Paginated(Charity, 'Charity') {}
