import { stringify } from 'csv-stringify/sync';
import { DisclosureDimension } from './dto/disclosure-filter.input.js';
import type { Disclosure, DisclosureCell } from './dto/disclosure.type.js';

/**
 * A disclosure as CSV (docs/disclosures.md, "CSV"): a header row, then an HXL
 * hashtag row (Humanitarian Exchange Language 1.1: core hashtags, with attributes
 * of our own where the core has none), then one row per cell of the grouping. A
 * hidden cell keeps its key and leaves every figure empty, with `suppressed` = 1.
 */

interface Column {
  header: string;
  hxl: string;
  value: (cell: DisclosureCell, disclosure: Disclosure) => string | number | null;
}

/** The key columns of each dimension. */
const KEY_COLUMNS: Record<DisclosureDimension, Column[]> = {
  MONTH: [{ header: 'month', hxl: '#date+month', value: (cell) => cell.month }],
  QUARTER: [{ header: 'quarter', hxl: '#date+quarter', value: (cell) => cell.quarter }],
  YEAR: [{ header: 'year', hxl: '#date+year', value: (cell) => cell.year }],
  CHARITY: [
    { header: 'charity_id', hxl: '#org+code', value: (cell) => cell.charityId },
    { header: 'charity_name', hxl: '#org+name', value: (cell) => cell.charityName },
  ],
  PROJECT_CATEGORY: [{ header: 'project_category', hxl: '#sector+code', value: (cell) => cell.projectCategory }],
  DISTRICT: [
    { header: 'district_code', hxl: '#adm2+code', value: (cell) => cell.districtCode },
    { header: 'district_name', hxl: '#adm2+name', value: (cell) => cell.districtName },
  ],
  STREET: [
    { header: 'street_code', hxl: '#adm3+code', value: (cell) => cell.streetCode },
    { header: 'street_name', hxl: '#adm3+name', value: (cell) => cell.streetName },
  ],
};

const lastDay = (to: string) => new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The period and figure columns, the same for every grouping. */
const FIGURE_COLUMNS: Column[] = [
  { header: 'period_start', hxl: '#date+start', value: (_cell, disclosure) => disclosure.from },
  { header: 'period_end', hxl: '#date+end', value: (_cell, disclosure) => lastDay(disclosure.to) },
  { header: 'currency', hxl: '#currency', value: () => 'CNY' },
  { header: 'received_cash', hxl: '#value+received+cash', value: (cell) => cell.figures?.received.cash.amount ?? null },
  { header: 'received_in_kind', hxl: '#value+received+inkind', value: (cell) => cell.figures?.received.inKind.amount ?? null },
  { header: 'refunded', hxl: '#value+refunded', value: (cell) => cell.figures?.received.refunded.amount ?? null },
  { header: 'spent_charitable_activity', hxl: '#value+spent+charitable', value: (cell) => cell.figures?.spent.charitableActivity.amount ?? null },
  { header: 'spent_management', hxl: '#value+spent+management', value: (cell) => cell.figures?.spent.management.amount ?? null },
  { header: 'spent_fundraising', hxl: '#value+spent+fundraising', value: (cell) => cell.figures?.spent.fundraising.amount ?? null },
  { header: 'spent_total', hxl: '#value+spent+total', value: (cell) => cell.figures?.spent.total.amount ?? null },
  { header: 'goods_disbursed_units', hxl: '#item+num+disbursed', value: (cell) => cell.figures?.goodsDisbursed.units ?? null },
  { header: 'goods_disbursed_value', hxl: '#value+goods+disbursed', value: (cell) => cell.figures?.goodsDisbursed.value.amount ?? null },
  { header: 'beneficiaries_reached', hxl: '#reached+ind', value: (cell) => cell.figures?.beneficiariesReached ?? null },
  { header: 'suppressed', hxl: '#meta+suppressed', value: (cell) => (cell.suppressed ? 1 : 0) },
  { header: 'suppression_reason', hxl: '#meta+suppressed+reason', value: (cell) => cell.suppressionReason },
];

/** The columns of a disclosure grouped by `groupBy`. */
export function disclosureColumns(groupBy: readonly DisclosureDimension[]): Array<Pick<Column, 'header' | 'hxl'>> {
  return [...groupBy.flatMap((dimension) => KEY_COLUMNS[dimension]), ...FIGURE_COLUMNS].map(({ header, hxl }) => ({ header, hxl }));
}

/** The CSV text: header, HXL row, then the cells (the grand total alone when not grouped). */
export function disclosureCsv(disclosure: Disclosure): string {
  const columns = [...disclosure.groupBy.flatMap((dimension) => KEY_COLUMNS[dimension]), ...FIGURE_COLUMNS];
  const cells = disclosure.groupBy.length === 0 ? [disclosure.total] : disclosure.cells;
  const rows = [
    columns.map((column) => column.header),
    columns.map((column) => column.hxl),
    ...cells.map((cell) => columns.map((column) => column.value(cell, disclosure) ?? '')),
  ];
  return stringify(rows, { record_delimiter: 'unix' });
}
