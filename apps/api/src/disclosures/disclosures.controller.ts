import { Controller, Get, HttpStatus, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AllowPublic, CurrentActor } from '../auth/access.decorators.js';
import type { Actor } from '../auth/actor.js';
import { DomainError } from '../common/domain-error.js';
import { TransparencyHttpErrorFilter } from '../transparency/transparency-http.filter.js';
import { disclosureQuery, type DisclosureRequest } from './disclosure-query.js';
import { disclosureCsv } from './disclosures.csv.js';
import { DisclosuresService } from './disclosures.service.js';

const PARAMETERS = new Set(['from', 'to', 'year', 'quarter', 'month', 'charityIds', 'projectCategories', 'districtCode', 'streetCode', 'groupBy']);

/** A parameter given once (`?from=…`); a repeated one is refused. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw DomainError.badInput(name, 'give it once');
  return value;
}

/** A list: repeated (`?groupBy=MONTH&groupBy=DISTRICT`) or comma-separated (`?groupBy=MONTH,DISTRICT`). */
function list(query: Record<string, unknown>, name: string): string[] | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) => (typeof item === 'string' ? item.split(',') : [String(item)]));
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function integer(query: Record<string, unknown>, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value)) throw DomainError.badInput(name, `"${value}" is not a whole number`);
  return Number(value);
}

/** The GraphQL filter's fields as query parameters. */
export function csvRequest(query: Record<string, unknown>): { request: DisclosureRequest; groupBy: string[] } {
  for (const name of Object.keys(query)) {
    if (!PARAMETERS.has(name)) throw DomainError.badInput(name, `unknown parameter (known: ${[...PARAMETERS].join(', ')})`);
  }
  const request: DisclosureRequest = {
    from: single(query, 'from'),
    to: single(query, 'to'),
    year: integer(query, 'year'),
    quarter: integer(query, 'quarter'),
    month: integer(query, 'month'),
    charityIds: list(query, 'charityIds'),
    projectCategories: list(query, 'projectCategories'),
    districtCode: single(query, 'districtCode'),
    streetCode: single(query, 'streetCode'),
  };
  for (const [name, value] of Object.entries(request)) if (value === undefined) delete request[name as keyof DisclosureRequest];
  return { request, groupBy: list(query, 'groupBy') ?? [] };
}

/**
 * `GET /disclosures.csv?…`: any disclosure as CSV with an HXL hashtag row, with the
 * GraphQL query's filter and groupBy as parameters and the same access and
 * suppression (an API key as `Authorization: Bearer …`). Errors are JSON, as the
 * other HTTP routes answer them.
 */
@Controller()
@UseFilters(TransparencyHttpErrorFilter)
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Get('disclosures.csv')
  @AllowPublic()
  async csv(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const { request, groupBy } = csvRequest(query);
    const disclosure = await this.disclosures.disclose(actor, disclosureQuery(request, groupBy, ''), '');
    const name = `disclosures-${disclosure.from}-${disclosure.to}${disclosure.groupBy.length > 0 ? `-${disclosure.groupBy.join('-').toLowerCase()}` : ''}.csv`;
    response
      .status(HttpStatus.OK)
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="${name}"`)
      .setHeader('Cache-Control', 'no-store')
      .send(disclosureCsv(disclosure));
  }
}
