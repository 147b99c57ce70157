import { DomainError } from '../common/domain-error.js';
import { chinaDate, chinaMidnight, dateInput, moneyInput } from '../common/input-values.js';
import { requestHash } from '../ledger/request-hash.js';
import { EntryType, type EntryDraft } from '../ledger/ledger.types.js';
import { regionPayload } from '../regions/region-input.js';
import { LeftoverHandling, type CloseProjectInput } from './dto/close-project.input.js';
import type { OpenProjectInput } from './dto/open-project.input.js';

export interface ProjectContext {
  currency: string;
  now: Date;
}

/** PROJECT_OPENED; whether the id is free is for the books to say. Pure. */
export function decideOpenProject(input: OpenProjectInput, context: ProjectContext): EntryDraft {
  const startDate = dateInput(input.startDate, 'input.startDate');
  const endDate = dateInput(input.endDate, 'input.endDate');
  if (endDate < startDate) throw DomainError.badInput('input.endDate', 'is before startDate');
  return {
    type: EntryType.PROJECT_OPENED,
    occurredAt: context.now,
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('openProject', input),
    payload: {
      projectId: input.projectId,
      title: input.title.trim(),
      purpose: input.purpose.trim(),
      category: input.category,
      region: regionPayload(input.region, 'input.region'),
      startDate,
      endDate,
      budget: moneyInput(input.budget, input.currency, context.currency, 'input.budget'),
      publicFundraising: input.publicFundraising,
    },
  };
}

/** PROJECT_CLOSED; what is left over and whether the target may take it is for the books to say. Pure. */
export function decideCloseProject(input: CloseProjectInput, context: ProjectContext): EntryDraft {
  const closedOn = dateInput(input.closedOn, 'input.closedOn');
  if (closedOn > chinaDate(context.now)) throw DomainError.badInput('input.closedOn', 'is in the future');
  const { handling, targetProjectId, explanation } = input.leftover;
  if (handling === LeftoverHandling.TRANSFER_TO_PROJECT && !targetProjectId) {
    throw DomainError.badInput('input.leftover.targetProjectId', 'is required to transfer the leftovers');
  }
  if (handling === LeftoverHandling.NONE && targetProjectId) {
    throw DomainError.badInput('input.leftover.targetProjectId', 'names a project, but the handling is NONE');
  }
  return {
    type: EntryType.PROJECT_CLOSED,
    occurredAt: chinaMidnight(closedOn),
    idempotencyKey: input.idempotencyKey,
    requestHash: requestHash('closeProject', input),
    payload: {
      projectId: input.projectId,
      closedOn,
      leftover: { handling, ...(targetProjectId ? { targetProjectId } : {}), explanation: explanation.trim() },
    },
  };
}
