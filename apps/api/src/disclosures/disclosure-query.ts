import { PROJECT_CATEGORIES } from '@charity-ledger/ledger-core';
import { DomainError } from '../common/domain-error.js';
import { dateInput } from '../common/input-values.js';
import { regionInfo } from '../regions/regions.js';
import { DisclosureDimension } from './dto/disclosure-filter.input.js';

/** At most 5 years in one answer: the rollups are read whole for the period. */
export const MAX_PERIOD_DAYS = 1_827;
/** Each dimension doubles the margins a public answer needs (2^n groupings). */
export const MAX_DIMENSIONS = 4;
const DIMENSIONS = Object.values(DisclosureDimension);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A disclosure request as sent (GraphQL's DisclosureFilter, or the CSV's query parameters). */
export interface DisclosureRequest {
  from?: string;
  to?: string;
  year?: number;
  quarter?: number;
  month?: number;
  charityIds?: string[];
  projectCategories?: string[];
  districtCode?: string;
  streetCode?: string;
}

/** A checked request: a period of dates (to excluded), filters and dimensions. */
export interface DisclosureQuery {
  from: string;
  to: string;
  charityIds?: string[];
  projectCategories?: string[];
  districtCode?: string;
  streetCode?: string;
  groupBy: DisclosureDimension[];
}

const pad = (value: number) => String(value).padStart(2, '0');

function periodOf(request: DisclosureRequest, field: (name: string) => string): { from: string; to: string } {
  const { year, quarter, month } = request;
  const hasDates = request.from !== undefined || request.to !== undefined;
  if (year !== undefined) {
    if (hasDates) throw DomainError.badInput(field('year'), 'give either year (with quarter or month) or from and to, not both');
    if (quarter !== undefined && month !== undefined) throw DomainError.badInput(field('month'), 'give quarter or month, not both');
    if (quarter !== undefined) {
      const next = quarter === 4 ? `${year + 1}-01-01` : `${year}-${pad(quarter * 3 + 1)}-01`;
      return { from: `${year}-${pad(quarter * 3 - 2)}-01`, to: next };
    }
    if (month !== undefined) return { from: `${year}-${pad(month)}-01`, to: month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01` };
    return { from: `${year}-01-01`, to: `${year + 1}-01-01` };
  }
  if (quarter !== undefined) throw DomainError.badInput(field('quarter'), 'needs year');
  if (month !== undefined) throw DomainError.badInput(field('month'), 'needs year');
  if (!hasDates) throw DomainError.badInput(field('from'), 'a period is required: from and to, or year (with quarter or month)');
  if (request.from === undefined) throw DomainError.badInput(field('from'), 'is required with to');
  if (request.to === undefined) throw DomainError.badInput(field('to'), 'is required with from (the day after the last day)');
  const from = dateInput(request.from, field('from'));
  const to = dateInput(request.to, field('to'));
  if (to <= from) throw DomainError.badInput(field('to'), `must be after from (${from}); it is the first day not included`);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (days > MAX_PERIOD_DAYS) throw DomainError.badInput(field('to'), `the period is ${days} days; at most ${MAX_PERIOD_DAYS} (5 years) in one answer`);
  return { from, to };
}

/**
 * Checks a request and resolves its period. `prefix` names the fields in errors as
 * the caller sent them (`filter.` in GraphQL, nothing for the CSV's parameters).
 * Whether the charities exist is checked by the service.
 */
export function disclosureQuery(sent: DisclosureRequest, groupBy: readonly string[], prefix: string): DisclosureQuery {
  // GraphQL passes an explicit null as null: the same as not given
  const request = Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== null && value !== undefined)) as DisclosureRequest;
  const field = (name: string) => `${prefix}${name}`;
  const period = periodOf(request, field);
  const query: DisclosureQuery = { ...period, groupBy: [] };

  if (request.charityIds !== undefined) {
    request.charityIds.forEach((id, index) => {
      if (!UUID.test(id)) throw DomainError.badInput(field(`charityIds[${index}]`), `"${id}" is not a charity id`);
    });
    query.charityIds = [...new Set(request.charityIds.map((id) => id.toLowerCase()))];
  }
  if (request.projectCategories !== undefined) {
    request.projectCategories.forEach((category, index) => {
      if (!(PROJECT_CATEGORIES as readonly string[]).includes(category)) {
        throw DomainError.badInput(field(`projectCategories[${index}]`), `"${category}" is not a project category (${PROJECT_CATEGORIES.join(', ')})`);
      }
    });
    query.projectCategories = [...new Set(request.projectCategories)];
  }
  if (request.districtCode !== undefined) {
    const district = regionInfo(request.districtCode.trim().toUpperCase());
    if (district?.level !== 'DISTRICT') throw DomainError.badInput(field('districtCode'), `"${request.districtCode}" is not a Shenzhen district code (e.g. SZ-FUTIAN; see the regions query)`);
    query.districtCode = district.code;
  }
  if (request.streetCode !== undefined) {
    const street = regionInfo(request.streetCode.trim().toUpperCase());
    if (street?.level !== 'STREET') throw DomainError.badInput(field('streetCode'), `"${request.streetCode}" is not a Shenzhen street code (e.g. SZ-FUTIAN-YUANLING; see the regions query)`);
    if (query.districtCode !== undefined && street.district !== query.districtCode) {
      throw DomainError.badInput(field('streetCode'), `${street.code} is not in ${query.districtCode}`);
    }
    query.streetCode = street.code;
  }

  if (groupBy.length > MAX_DIMENSIONS) throw DomainError.badInput('groupBy', `at most ${MAX_DIMENSIONS} dimensions (got ${groupBy.length})`);
  groupBy.forEach((dimension, index) => {
    if (!(DIMENSIONS as string[]).includes(dimension)) throw DomainError.badInput(`groupBy[${index}]`, `"${dimension}" is not a dimension (${DIMENSIONS.join(', ')})`);
    if (query.groupBy.includes(dimension as DisclosureDimension)) throw DomainError.badInput(`groupBy[${index}]`, `${dimension} is given twice`);
    query.groupBy.push(dimension as DisclosureDimension);
  });
  return query;
}

/** Every subset of the dimensions, in their order: the table itself first, the grand total ([]) last. */
export function groupingsOf(groupBy: readonly DisclosureDimension[]): DisclosureDimension[][] {
  const subsets: DisclosureDimension[][] = [];
  for (let mask = (1 << groupBy.length) - 1; mask >= 0; mask--) subsets.push(groupBy.filter((_dimension, index) => (mask & (1 << (groupBy.length - 1 - index))) !== 0));
  return subsets.sort((a, b) => b.length - a.length);
}
