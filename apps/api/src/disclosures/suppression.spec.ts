import fc from 'fast-check';
import { exposedEquations, suppressSmallCells, SuppressionReason, type SuppressionVerdicts, type TableCell } from './suppression.js';

type D = 'MONTH' | 'DISTRICT';
const { SMALL_CELL, COMPLEMENTARY } = SuppressionReason;

/**
 * A month × district table with its margins and grand total, from the inner cells
 * [people, money]. Margins add up people too (as if nobody were in two cells).
 */
function table(inner: Record<string, Record<string, [number, number]>>): TableCell<D>[] {
  const cells: TableCell<D>[] = [];
  const months = new Map<string, [number, number]>();
  const districts = new Map<string, [number, number]>();
  let grand: [number, number] = [0, 0];
  const add = (map: Map<string, [number, number]>, key: string, [people, money]: [number, number]) => {
    const [p, m] = map.get(key) ?? [0, 0];
    map.set(key, [p + people, m + money]);
  };
  for (const [month, row] of Object.entries(inner)) {
    for (const [district, value] of Object.entries(row)) {
      cells.push({ key: { MONTH: month, DISTRICT: district }, beneficiaries: value[0], values: [BigInt(value[1])] });
      add(months, month, value);
      add(districts, district, value);
      grand = [grand[0] + value[0], grand[1] + value[1]];
    }
  }
  for (const [month, [people, money]] of months) cells.push({ key: { MONTH: month }, beneficiaries: people, values: [BigInt(money)] });
  for (const [district, [people, money]] of districts) cells.push({ key: { DISTRICT: district }, beneficiaries: people, values: [BigInt(money)] });
  cells.push({ key: {}, beneficiaries: grand[0], values: [BigInt(grand[1])] });
  return cells;
}

/** The verdict of the cell with exactly this key. */
function verdictOf(cells: TableCell<D>[], verdicts: SuppressionVerdicts, key: Partial<Record<D, string>>): SuppressionReason | null {
  const index = cells.findIndex((cell) => JSON.stringify(cell.key) === JSON.stringify(key));
  if (index < 0) throw new Error(`no cell ${JSON.stringify(key)}`);
  return verdicts[index];
}

const hiddenKeys = (cells: TableCell<D>[], verdicts: SuppressionVerdicts) => cells.filter((_cell, index) => verdicts[index] !== null).map((cell) => cell.key);

describe('small-cell suppression', () => {
  describe('one dimension', () => {
    it('given cells of 9, 10 and 40 people, when suppressed, then the 9 is hidden and the smallest other cell (10) with it', () => {
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: 'FUTIAN' }, beneficiaries: 9, values: [900n] },
        { key: { DISTRICT: 'NANSHAN' }, beneficiaries: 10, values: [1_000n] },
        { key: { DISTRICT: 'LUOHU' }, beneficiaries: 40, values: [4_000n] },
        { key: {}, beneficiaries: 59, values: [5_900n] },
      ];
      expect(suppressSmallCells(['DISTRICT'], cells)).toEqual([SMALL_CELL, COMPLEMENTARY, null, null]);
    });

    it('given two small cells in the line, when suppressed, then nothing else is hidden: their sum is known, neither is', () => {
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: 'FUTIAN' }, beneficiaries: 3, values: [300n] },
        { key: { DISTRICT: 'NANSHAN' }, beneficiaries: 4, values: [400n] },
        { key: { DISTRICT: 'LUOHU' }, beneficiaries: 40, values: [4_000n] },
        { key: {}, beneficiaries: 47, values: [4_700n] },
      ];
      expect(suppressSmallCells(['DISTRICT'], cells)).toEqual([SMALL_CELL, SMALL_CELL, null, null]);
    });

    it('given cells without people (gifts only), when suppressed, then they are shown; 0 is not a small cell', () => {
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: null }, beneficiaries: 0, values: [100_000n] },
        { key: { DISTRICT: 'LUOHU' }, beneficiaries: 12, values: [4_000n] },
        { key: {}, beneficiaries: 12, values: [104_000n] },
      ];
      expect(suppressSmallCells(['DISTRICT'], cells)).toEqual([null, null, null]);
    });

    it('given cells without people, when suppressed, then the complement is a cell with people: one without would not hide the count', () => {
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: 'FUTIAN' }, beneficiaries: 5, values: [500n] },
        { key: { DISTRICT: null }, beneficiaries: 0, values: [90_000n] },
        { key: { DISTRICT: 'BAOAN' }, beneficiaries: 0, values: [10n] },
        { key: { DISTRICT: 'LUOHU' }, beneficiaries: 40, values: [4_000n] },
        { key: {}, beneficiaries: 45, values: [94_510n] },
      ];
      expect(suppressSmallCells(['DISTRICT'], cells)).toEqual([SMALL_CELL, null, null, COMPLEMENTARY, null]);
    });

    it('given a small cell that spent money, when suppressed, then the complement spent money too: a complement without spending would leave it derivable', () => {
      // values: [received, spent]; unrestricted gifts have no district and no spending
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: 'FUTIAN' }, beneficiaries: 9, values: [0n, 900n] },
        { key: { DISTRICT: null }, beneficiaries: 0, values: [5_000n, 0n] },
        { key: { DISTRICT: 'NANSHAN' }, beneficiaries: 10, values: [0n, 1_000n] },
        { key: { DISTRICT: 'LUOHU' }, beneficiaries: 12, values: [0n, 600n] },
        { key: {}, beneficiaries: 31, values: [5_000n, 2_500n] },
      ];
      const verdicts = suppressSmallCells(['DISTRICT'], cells);
      expect(verdicts).toEqual([SMALL_CELL, null, COMPLEMENTARY, null, null]);
      expect(exposedEquations(['DISTRICT'], cells, verdicts)).toEqual([]);
    });

    it('given a line of one small cell, when suppressed, then its total (equal to it) is hidden too', () => {
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: 'FUTIAN' }, beneficiaries: 9, values: [900n] },
        { key: {}, beneficiaries: 9, values: [900n] },
      ];
      expect(suppressSmallCells(['DISTRICT'], cells)).toEqual([SMALL_CELL, SMALL_CELL]);
    });

    it('given a grand total that alone is small, when suppressed, then one cell is hidden with it', () => {
      // a person reached in two districts: 9 in all, 5 and 5 by district (counts do not add up)
      const cells: TableCell<'DISTRICT'>[] = [
        { key: { DISTRICT: null }, beneficiaries: 0, values: [100n] },
        { key: { DISTRICT: 'LUOHU' }, beneficiaries: 0, values: [50n] },
        { key: {}, beneficiaries: 3, values: [150n] },
      ];
      // (a total with people whose cells have none is artificial: it checks that a hidden total is protected)
      expect(suppressSmallCells(['DISTRICT'], cells)).toEqual([null, COMPLEMENTARY, SMALL_CELL]);
    });
  });

  describe('two dimensions (month × district, with the margins and the grand total)', () => {
    it('given one small cell in a full table, when suppressed, then a rectangle of four cells is hidden and no margin', () => {
      const cells = table({
        '2026-01': { FUTIAN: [9, 900], NANSHAN: [30, 3_000], LUOHU: [50, 5_000] },
        '2026-02': { FUTIAN: [20, 2_000], NANSHAN: [12, 1_200], LUOHU: [60, 6_000] },
        '2026-03': { FUTIAN: [25, 2_500], NANSHAN: [40, 4_000], LUOHU: [15, 1_500] },
      });
      const verdicts = suppressSmallCells(['MONTH', 'DISTRICT'], cells);
      // January's line: Futian (9), then the smallest other of January: Nanshan (30);
      // Futian's column: its smallest other, February (20); Nanshan's column: February (12);
      // February's line then holds two hidden cells: stable
      expect(hiddenKeys(cells, verdicts)).toEqual([
        { MONTH: '2026-01', DISTRICT: 'FUTIAN' },
        { MONTH: '2026-01', DISTRICT: 'NANSHAN' },
        { MONTH: '2026-02', DISTRICT: 'FUTIAN' },
        { MONTH: '2026-02', DISTRICT: 'NANSHAN' },
      ]);
      expect(verdictOf(cells, verdicts, { MONTH: '2026-01', DISTRICT: 'FUTIAN' })).toBe(SMALL_CELL);
      expect(verdictOf(cells, verdicts, { MONTH: '2026-02', DISTRICT: 'NANSHAN' })).toBe(COMPLEMENTARY);
      expect(exposedEquations(['MONTH', 'DISTRICT'], cells, verdicts)).toEqual([]);
    });

    it('given a district reached in only one month with 6 people, when suppressed, then that district’s total is hidden with the cell', () => {
      const cells = table({
        '2026-01': { FUTIAN: [6, 600], NANSHAN: [30, 3_000], LUOHU: [50, 5_000] },
        '2026-02': { NANSHAN: [12, 1_200], LUOHU: [60, 6_000] },
      });
      const verdicts = suppressSmallCells(['MONTH', 'DISTRICT'], cells);
      expect(verdictOf(cells, verdicts, { MONTH: '2026-01', DISTRICT: 'FUTIAN' })).toBe(SMALL_CELL);
      // Futian's margin has 6 people itself; the complement in January's line is hidden, and
      // the districts' line (Futian, Nanshan, Luohu summing to the grand total) gets a second hidden total
      expect(verdictOf(cells, verdicts, { DISTRICT: 'FUTIAN' })).toBe(SMALL_CELL);
      expect(verdictOf(cells, verdicts, { MONTH: '2026-01', DISTRICT: 'NANSHAN' })).toBe(COMPLEMENTARY);
      expect(exposedEquations(['MONTH', 'DISTRICT'], cells, verdicts)).toEqual([]);
      expect(verdictOf(cells, verdicts, {})).toBeNull();
    });

    it('given a complement that is the only cell of its month, when suppressed, then that month’s total (equal to it) is hidden too', () => {
      const cells = table({
        '2026-01': { FUTIAN: [9, 900], NANSHAN: [30, 3_000] },
        '2026-02': { NANSHAN: [12, 1_200] },
      });
      const verdicts = suppressSmallCells(['MONTH', 'DISTRICT'], cells);
      // Futian (9) → January's complement Nanshan (30) → Nanshan's column: February (12), February's only cell
      expect(verdictOf(cells, verdicts, { MONTH: '2026-02', DISTRICT: 'NANSHAN' })).toBe(COMPLEMENTARY);
      expect(verdictOf(cells, verdicts, { MONTH: '2026-02' })).toBe(COMPLEMENTARY);
      // and then the months' line (January + February = grand total) needs a second hidden month
      expect(verdictOf(cells, verdicts, { MONTH: '2026-01' })).toBe(COMPLEMENTARY);
      expect(exposedEquations(['MONTH', 'DISTRICT'], cells, verdicts)).toEqual([]);
    });

    it('given a cell of 10 people, when suppressed, then nothing is hidden', () => {
      const cells = table({
        '2026-01': { FUTIAN: [10, 1_000], NANSHAN: [30, 3_000] },
        '2026-02': { FUTIAN: [20, 2_000], NANSHAN: [12, 1_200] },
      });
      expect(suppressSmallCells(['MONTH', 'DISTRICT'], cells).every((verdict) => verdict === null)).toBe(true);
    });

    it('given a 2 × 2 table with one small cell, when suppressed, then all four inner cells are hidden but the margins stay', () => {
      const cells = table({
        '2026-01': { FUTIAN: [9, 900], NANSHAN: [30, 3_000] },
        '2026-02': { FUTIAN: [20, 2_000], NANSHAN: [12, 1_200] },
      });
      const verdicts = suppressSmallCells(['MONTH', 'DISTRICT'], cells);
      expect(hiddenKeys(cells, verdicts)).toEqual([
        { MONTH: '2026-01', DISTRICT: 'FUTIAN' },
        { MONTH: '2026-01', DISTRICT: 'NANSHAN' },
        { MONTH: '2026-02', DISTRICT: 'FUTIAN' },
        { MONTH: '2026-02', DISTRICT: 'NANSHAN' },
      ]);
    });
  });

  it('for any table, every small cell is hidden and no equation has exactly one hidden member', () => {
    const people = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 80 }));
    const grid = fc.array(fc.array(fc.option(fc.tuple(people, fc.integer({ min: 0, max: 10_000 })), { nil: undefined }), { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(grid, (rows) => {
        const inner: Record<string, Record<string, [number, number]>> = {};
        rows.forEach((row, m) =>
          row.forEach((value, d) => {
            if (value) (inner[`M${m}`] ??= {})[`D${d}`] = value;
          }),
        );
        const cells = table(inner).map((cell) => ({ ...cell, values: [...cell.values, cell.values[0] % 3n === 0n ? 0n : cell.values[0] * 2n] }));
        const verdicts = suppressSmallCells(['MONTH', 'DISTRICT'], cells);
        cells.forEach((cell, index) => {
          if (cell.beneficiaries >= 1 && cell.beneficiaries <= 9) expect(verdicts[index]).toBe(SMALL_CELL);
        });
        expect(exposedEquations(['MONTH', 'DISTRICT'], cells, verdicts)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
