import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, AllowPublic, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { LedgerEntry, toLedgerEntry } from '../ledger/dto/ledger-entry.type.js';
import { CloseProjectInput } from './dto/close-project.input.js';
import { OpenProjectInput } from './dto/open-project.input.js';
import { ProjectType } from './dto/project.type.js';
import { ProjectsService } from './projects.service.js';

@Resolver(() => ProjectType)
export class ProjectsResolver {
  constructor(private readonly service: ProjectsService) {}

  @Mutation(() => LedgerEntry, { description: 'Opens a charitable project (CHARITY).' })
  @Allow(Role.CHARITY)
  async openProject(@CurrentActor() actor: Actor, @Args('input') input: OpenProjectInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.service.open(actor, input));
  }

  @Mutation(() => LedgerEntry, { description: 'Closes a project and says what happens to its leftovers (CHARITY).' })
  @Allow(Role.CHARITY)
  async closeProject(@CurrentActor() actor: Actor, @Args('input') input: CloseProjectInput): Promise<LedgerEntry> {
    return toLedgerEntry(await this.service.close(actor, input));
  }

  @Query(() => ProjectType)
  @AllowPublic()
  async project(@Args('charityId', { type: () => ID }) charityId: string, @Args('projectId') projectId: string): Promise<ProjectType> {
    return this.service.get(charityId, projectId);
  }

  @Query(() => [ProjectType], { description: "A charity's projects, in the order they were opened." })
  @AllowPublic()
  async projects(@Args('charityId', { type: () => ID }) charityId: string): Promise<ProjectType[]> {
    return this.service.list(charityId);
  }
}
