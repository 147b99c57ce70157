import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Allow, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { fixedRequest } from '../ledger/ledger.types.js';
import { decideReversal } from './corrections.decide.js';
import { ReverseEntryInput } from './dto/reverse-entry.input.js';

@Resolver()
export class CorrectionsResolver {
  constructor(private readonly ledger: LedgerService) {}

  @Mutation(() => LedgerEntry, {
    description:
      'Reverses an earlier entry in full, with the published reason (CHARITY). The reversed entry stays on the chain, marked reversed. Entries built on it (spending of a gift, deliveries of bought goods …) must be reversed first.',
  })
  @Allow(Role.CHARITY)
  async reverseEntry(@CurrentActor() actor: Actor, @Args('input') input: ReverseEntryInput): Promise<LedgerEntry> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, () => [fixedRequest(decideReversal(input, new Date()))]);
    return toLedgerEntry(entry);
  }
}
