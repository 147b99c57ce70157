import { DomainError } from '../common/domain-error.js';
import { disclosureQuery, groupingsOf } from './disclosure-query.js';
import { DisclosureDimension } from './dto/disclosure-filter.input.js';

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.field;
    throw error;
  }
  return undefined;
};

describe('disclosure requests', () => {
  it('given a year, a quarter or a month, when resolved, then the period runs to the first day after it', () => {
    expect(disclosureQuery({ year: 2026 }, [], 'filter.')).toMatchObject({ from: '2026-01-01', to: '2027-01-01' });
    expect(disclosureQuery({ year: 2026, quarter: 1 }, [], 'filter.')).toMatchObject({ from: '2026-01-01', to: '2026-04-01' });
    expect(disclosureQuery({ year: 2026, quarter: 4 }, [], 'filter.')).toMatchObject({ from: '2026-10-01', to: '2027-01-01' });
    expect(disclosureQuery({ year: 2026, month: 2 }, [], 'filter.')).toMatchObject({ from: '2026-02-01', to: '2026-03-01' });
    expect(disclosureQuery({ year: 2026, month: 12 }, [], 'filter.')).toMatchObject({ from: '2026-12-01', to: '2027-01-01' });
  });

  it('given region codes in any case, when resolved, then they are the codelist’s', () => {
    expect(disclosureQuery({ year: 2026, districtCode: 'sz-futian', streetCode: 'SZ-FUTIAN-YUANLING' }, [], '')).toMatchObject({
      districtCode: 'SZ-FUTIAN',
      streetCode: 'SZ-FUTIAN-YUANLING',
    });
  });

  it('given a bad request, when resolved, then the error names the field as the caller sent it', () => {
    expect(fieldOf(() => disclosureQuery({ from: '2026-01-01' }, [], 'filter.'))).toBe('filter.to');
    expect(fieldOf(() => disclosureQuery({ from: '2026-01-01', to: '2031-01-03' }, [], ''))).toBe('to');
    expect(fieldOf(() => disclosureQuery({ year: 2026, quarter: 1, month: 1 }, [], 'filter.'))).toBe('filter.month');
    expect(fieldOf(() => disclosureQuery({ year: 2026, streetCode: 'SZ-FUTIAN' }, [], 'filter.'))).toBe('filter.streetCode');
    expect(fieldOf(() => disclosureQuery({ year: 2026, projectCategories: ['CATS'] }, [], 'filter.'))).toBe('filter.projectCategories[0]');
    expect(fieldOf(() => disclosureQuery({ year: 2026 }, ['DISTRICT', 'COLOUR'], ''))).toBe('groupBy[1]');
  });

  it('given dimensions, when their groupings are listed, then the table comes first and the grand total last', () => {
    const { MONTH, DISTRICT, CHARITY } = DisclosureDimension;
    expect(groupingsOf([MONTH, DISTRICT])).toEqual([[MONTH, DISTRICT], [MONTH], [DISTRICT], []]);
    expect(groupingsOf([MONTH, DISTRICT, CHARITY])).toHaveLength(8);
    expect(groupingsOf([])).toEqual([[]]);
  });
});
