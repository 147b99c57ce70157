import { money } from '../common/money.type.js';
import { disclosureColumns, disclosureCsv } from './disclosures.csv.js';
import { DisclosureDimension } from './dto/disclosure-filter.input.js';
import type { Disclosure, DisclosureCell } from './dto/disclosure.type.js';
import { SuppressionReason } from './suppression.js';

const cell = (charityName: string, people: number | null): DisclosureCell => ({
  groupedBy: [DisclosureDimension.CHARITY],
  month: null,
  quarter: null,
  year: null,
  charityId: '6f1c2d3e-0000-4000-8000-000000000001',
  charityName,
  projectCategory: null,
  districtCode: null,
  districtName: null,
  streetCode: null,
  streetName: null,
  suppressed: people === null,
  suppressionReason: people === null ? SuppressionReason.SMALL_CELL : null,
  figures:
    people === null
      ? null
      : {
          received: { cash: money(150_000, 'CNY'), inKind: money(0, 'CNY'), refunded: money(0, 'CNY') },
          spent: { charitableActivity: money(90_000, 'CNY'), management: money(0, 'CNY'), fundraising: money(0, 'CNY'), total: money(90_000, 'CNY') },
          goodsDisbursed: { units: '3', value: money(30_000, 'CNY') },
          beneficiariesReached: people,
        },
});

describe('disclosure CSV', () => {
  it('given cells, when written, then a header row, an HXL row, and one row per cell, quoted where needed, with hidden figures empty', () => {
    const disclosure: Disclosure = {
      from: '2026-01-01',
      to: '2027-01-01',
      groupBy: [DisclosureDimension.CHARITY],
      exact: false,
      threshold: 10,
      hiddenCells: 1,
      cells: [cell('深圳市"阳光"助残基金会, 福田', 12), cell('南山长者关爱协会', null)],
      margins: [],
      total: cell('', 20),
    };
    const lines = disclosureCsv(disclosure).split('\n');
    expect(lines[0]).toBe(disclosureColumns(disclosure.groupBy).map((column) => column.header).join(','));
    expect(lines[1]).toMatch(/^#org\+code,#org\+name,#date\+start,#date\+end,#currency,#value\+received\+cash,/);
    expect(lines[2]).toBe(
      '6f1c2d3e-0000-4000-8000-000000000001,"深圳市""阳光""助残基金会, 福田",2026-01-01,2026-12-31,CNY,1500.00,0.00,0.00,900.00,0.00,0.00,900.00,3,300.00,12,0,',
    );
    expect(lines[3]).toBe('6f1c2d3e-0000-4000-8000-000000000001,南山长者关爱协会,2026-01-01,2026-12-31,CNY,,,,,,,,,,,1,SMALL_CELL');
    expect(lines[4]).toBe('');
  });
});
