import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { formatAmount } from '@charity-ledger/ledger-core';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { BookProjectEntity } from '../books/book.entities.js';
import { CharitiesService } from '../charities/charities.service.js';
import { DomainError } from '../common/domain-error.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { fixedRequest, type LedgerEntryRecord } from '../ledger/ledger.types.js';
import type { CloseProjectInput } from './dto/close-project.input.js';
import type { OpenProjectInput } from './dto/open-project.input.js';
import type { ProjectType } from './dto/project.type.js';
import { decideCloseProject, decideOpenProject } from './project.decide.js';

@Injectable()
export class ProjectsService {
  constructor(
    private readonly ledger: LedgerService,
    private readonly charities: CharitiesService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async open(actor: Actor, input: OpenProjectInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideOpenProject(input, { currency: charity.currency, now: new Date() })),
    ]);
    return entry;
  }

  async close(actor: Actor, input: CloseProjectInput): Promise<LedgerEntryRecord> {
    const [entry] = await this.ledger.appendAs(actor, input.charityId, (charity) => [
      fixedRequest(decideCloseProject(input, { currency: charity.currency, now: new Date() })),
    ]);
    return entry;
  }

  async get(charityId: string, projectId: string): Promise<ProjectType> {
    const charity = await this.charities.get(charityId);
    const row = await this.dataSource.getRepository(BookProjectEntity).findOneBy({ charityId, projectId });
    if (!row) throw DomainError.notFound(`Charity ${charityId} has no project "${projectId}".`);
    return toProject(row, charity.currency);
  }

  async list(charityId: string): Promise<ProjectType[]> {
    const charity = await this.charities.get(charityId);
    const rows = await this.dataSource.getRepository(BookProjectEntity).find({ where: { charityId }, order: { openedSequence: 'ASC' } });
    return rows.map((row) => toProject(row, charity.currency));
  }
}

function toProject(row: BookProjectEntity, currency: string): ProjectType {
  return {
    charityId: row.charityId,
    projectId: row.projectId,
    title: row.title,
    purpose: row.purpose,
    category: row.category,
    regionCode: row.regionCode,
    district: row.district,
    street: row.street,
    startDate: row.startDate,
    endDate: row.endDate,
    budget: formatAmount({ currency, minorUnits: Number(row.budgetMinor) }),
    publicFundraising: row.publicFundraising,
    status: row.status,
    openedSequence: Number(row.openedSequence),
    closedSequence: row.closedSequence === null ? null : Number(row.closedSequence),
  };
}
