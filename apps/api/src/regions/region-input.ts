import type { JsonObject } from '@charity-ledger/ledger-core';
import { DomainError } from '../common/domain-error.js';
import type { RegionInput } from './dto/region.input.js';
import { resolveRegion } from './regions.js';

/** A region input as entries record it, or BAD_USER_INPUT naming the field. */
export function regionPayload(input: RegionInput, field: string): JsonObject {
  const region = resolveRegion(input.code);
  if (typeof region === 'string') throw DomainError.badInput(`${field}.code`, region);
  return { ...region };
}
