import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { Role } from '../auth/api-key.entity.js';
import { DomainError, ErrorCode } from '../common/domain-error.js';
import { money } from '../common/money.type.js';
import { FiguresService, type FigureDimension, type FigureRow } from '../figures/figures.service.js';
import { regionInfo } from '../regions/regions.js';
import { groupingsOf, type DisclosureQuery } from './disclosure-query.js';
import { DisclosureDimension } from './dto/disclosure-filter.input.js';
import type { Disclosure, DisclosureCell, DisclosureFigures } from './dto/disclosure.type.js';
import { suppressSmallCells, SUPPRESSION_THRESHOLD, type SuppressionReason, type TableCell } from './suppression.js';

/** Every charity so far keeps CNY books (docs/figures.md: amounts are in the charities' currency). */
const CURRENCY = 'CNY';

/** The figure row field that holds each dimension's key. */
const KEY_FIELD: Record<DisclosureDimension, 'month' | 'quarter' | 'year' | 'charityId' | 'projectCategory' | 'districtCode' | 'streetCode'> = {
  MONTH: 'month',
  QUARTER: 'quarter',
  YEAR: 'year',
  CHARITY: 'charityId',
  PROJECT_CATEGORY: 'projectCategory',
  DISTRICT: 'districtCode',
  STREET: 'streetCode',
};

/** A cell's additive figures, each of which suppression protects. */
function valuesOf(row: FigureRow): bigint[] {
  return [
    row.receivedCash,
    row.receivedInKind,
    row.refunded,
    row.spentCharitableActivity,
    row.spentManagement,
    row.spentFundraising,
    row.goodsDisbursedQuantity,
    row.goodsDisbursedValue,
  ];
}

/** Whether the caller sees exact figures: a regulator, or a charity asking about itself alone. */
export function seesExactFigures(actor: Actor, query: Pick<DisclosureQuery, 'charityIds'>): boolean {
  if (actor.role === Role.REGULATOR) return true;
  return actor.role === Role.CHARITY && query.charityIds !== undefined && query.charityIds.length > 0 && query.charityIds.every((id) => id === actor.charityId);
}

/**
 * Aggregated disclosures (docs/disclosures.md): the period figures of a grouping
 * with all its margins, read in one statement, and — for callers who do not see
 * exact figures — small cells and their complements hidden.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    private readonly figures: FiguresService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** `prefix` names the filter's fields in errors as the caller sent them (see disclosureQuery). */
  async disclose(actor: Actor, query: DisclosureQuery, prefix = 'filter.'): Promise<Disclosure> {
    if (query.charityIds !== undefined && query.charityIds.length > 0) await this.requireCharities(query.charityIds, prefix);
    const exact = seesExactFigures(actor, query);
    const groupings = groupingsOf(query.groupBy);
    const sets = await this.figures.figureSets(
      {
        from: query.from,
        to: query.to,
        charityIds: query.charityIds,
        projectCategories: query.projectCategories,
        districtCode: query.districtCode,
        streetCode: query.streetCode,
      },
      groupings as FigureDimension[][],
    );
    const rows = sets.flatMap((set, index) => set.map((row) => ({ row, groupedBy: groupings[index] })));
    const table: Array<TableCell<DisclosureDimension>> = rows.map(({ row, groupedBy }) => ({
      key: Object.fromEntries(groupedBy.map((dimension) => [dimension, (row[KEY_FIELD[dimension]] as string | null | undefined) ?? null])),
      beneficiaries: row.beneficiariesReached,
      values: valuesOf(row),
    }));
    const verdicts = exact ? rows.map(() => null) : suppressSmallCells(query.groupBy, table);
    const names = await this.charityNames(rows.map(({ row }) => row.charityId).filter((id): id is string => typeof id === 'string'));
    const cells = rows.map(({ row, groupedBy }, index) => cellOf(row, groupedBy, verdicts[index], names));
    const depth = query.groupBy.length;
    return {
      from: query.from,
      to: query.to,
      groupBy: query.groupBy,
      exact,
      threshold: SUPPRESSION_THRESHOLD,
      hiddenCells: cells.filter((cell) => cell.suppressed).length,
      cells: depth === 0 ? [] : cells.filter((cell) => cell.groupedBy.length === depth),
      margins: cells.filter((cell) => cell.groupedBy.length > 0 && cell.groupedBy.length < depth),
      total: cells.find((cell) => cell.groupedBy.length === 0)!,
    };
  }

  private async requireCharities(ids: string[], prefix: string): Promise<void> {
    const found = new Set(((await this.dataSource.query('SELECT id::text AS id FROM charity WHERE id = ANY($1::uuid[])', [ids])) as Array<{ id: string }>).map((row) => row.id));
    const missing = ids.findIndex((id) => !found.has(id));
    const field = `${prefix}charityIds[${missing}]`;
    if (missing >= 0) throw new DomainError(ErrorCode.NOT_FOUND, `${field}: no charity ${ids[missing]}`, field);
  }

  private async charityNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.dataSource.query('SELECT id::text AS id, name FROM charity WHERE id = ANY($1::uuid[])', [[...new Set(ids)]])) as Array<{ id: string; name: string }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }
}

function figuresOf(row: FigureRow): DisclosureFigures {
  return {
    received: { cash: money(row.receivedCash, CURRENCY), inKind: money(row.receivedInKind, CURRENCY), refunded: money(row.refunded, CURRENCY) },
    spent: {
      charitableActivity: money(row.spentCharitableActivity, CURRENCY),
      management: money(row.spentManagement, CURRENCY),
      fundraising: money(row.spentFundraising, CURRENCY),
      total: money(row.spentTotal, CURRENCY),
    },
    goodsDisbursed: { units: row.goodsDisbursedQuantity.toString(), value: money(row.goodsDisbursedValue, CURRENCY) },
    beneficiariesReached: row.beneficiariesReached,
  };
}

function cellOf(row: FigureRow, groupedBy: DisclosureDimension[], verdict: SuppressionReason | null, names: Map<string, string>): DisclosureCell {
  const has = (dimension: DisclosureDimension) => groupedBy.includes(dimension);
  const district = has(DisclosureDimension.DISTRICT) ? (row.districtCode ?? null) : null;
  const street = has(DisclosureDimension.STREET) ? (row.streetCode ?? null) : null;
  const charityId = has(DisclosureDimension.CHARITY) ? (row.charityId ?? null) : null;
  return {
    groupedBy,
    month: row.month ?? null,
    quarter: row.quarter ?? null,
    year: row.year ?? null,
    charityId,
    charityName: charityId ? (names.get(charityId) ?? null) : null,
    projectCategory: row.projectCategory ?? null,
    districtCode: district,
    districtName: district ? (regionInfo(district)?.name ?? null) : null,
    streetCode: street,
    streetName: street ? (regionInfo(street)?.name ?? null) : null,
    suppressed: verdict !== null,
    suppressionReason: verdict,
    figures: verdict === null ? figuresOf(row) : null,
  };
}
