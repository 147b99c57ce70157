/**
 * Small-cell suppression for public disclosures (docs/disclosures.md). Pure.
 *
 * A table is the cells of one grouping together with all its marginal totals: for
 * dimensions D, one level of cells for every subset of D (the empty subset is the
 * grand total). A public caller can get every level, by asking the same question
 * grouped by fewer dimensions. For each level S ⊊ D, each of its cells p and each
 * dimension d ∉ S, the cells of level S ∪ {d} that agree with p on S form a *line*
 * whose figures add up to p: p = c₁ + c₂ + … (money exactly; people are bounded,
 * see the docs). In every such equation, for every measure (people, and each money
 * or goods figure), the number of hidden members that hold some of it (non-zero)
 * must be 0 or at least 2, so that no hidden figure is the difference of visible
 * ones. (Counting hidden cells alone is not enough: a hidden complement whose
 * spending is zero leaves the small cell's spending derivable.)
 *
 * 1. Every cell with 1 to threshold − 1 beneficiaries is hidden (SMALL_CELL).
 * 2. While some equation has exactly one hidden member holding a measure: the
 *    smallest visible cell of the line holding that measure (by beneficiaries, then
 *    money, then key) is hidden too; if the line has none, its total is hidden
 *    (COMPLEMENTARY) — e.g. a line of one hidden cell, whose total equals it.
 *
 * Each step hides one more cell, so it ends; at worst everything is hidden.
 */

export const SUPPRESSION_THRESHOLD = 10;

export enum SuppressionReason {
  /** 1–9 beneficiaries. */
  SMALL_CELL = 'SMALL_CELL',
  /** Hidden so that a small cell cannot be derived from totals. */
  COMPLEMENTARY = 'COMPLEMENTARY',
}

export interface TableCell<D extends string> {
  /** The cell's value on each dimension of its level (absent: summed over). */
  readonly key: Readonly<Partial<Record<D, string | null>>>;
  /** Distinct people reached in the cell. */
  readonly beneficiaries: number;
  /** The cell's additive figures (money in minor units, goods in units), always in the same order. */
  readonly values: readonly bigint[];
}

/** For each cell, in the order given: null when shown, else why it is hidden. */
export type SuppressionVerdicts = Array<SuppressionReason | null>;

interface Equation {
  total: number;
  line: number[];
}

/** The level of a cell: the dimensions its key names, in the table's order. */
function levelOf<D extends string>(dimensions: readonly D[], cell: TableCell<D>): D[] {
  return dimensions.filter((dimension) => dimension in cell.key);
}

function keyText<D extends string>(dimensions: readonly D[], cell: TableCell<D>): string {
  return JSON.stringify(dimensions.map((dimension) => cell.key[dimension] ?? null));
}

/**
 * Every equation "total = sum of its line" of the table: for each cell p of a level
 * S and each dimension d ∉ S, the cells of S ∪ {d} that agree with p on S.
 */
export function equationsOf<D extends string>(dimensions: readonly D[], cells: readonly TableCell<D>[]): Equation[] {
  // cells by level and by their key on the level without one dimension
  const lines = new Map<string, number[]>();
  const lineId = (level: readonly D[], dropped: D, key: string) => `${level.join('+')}|${dropped}|${key}`;
  cells.forEach((cell, index) => {
    const level = levelOf(dimensions, cell);
    for (const dropped of level) {
      const rest = level.filter((dimension) => dimension !== dropped);
      const id = lineId(level, dropped, keyText(rest, cell));
      const line = lines.get(id) ?? [];
      line.push(index);
      lines.set(id, line);
    }
  });
  const equations: Equation[] = [];
  cells.forEach((cell, index) => {
    const level = levelOf(dimensions, cell);
    for (const added of dimensions) {
      if (level.includes(added)) continue;
      const finer = dimensions.filter((dimension) => dimension === added || level.includes(dimension));
      const line = lines.get(lineId(finer, added, keyText(level, cell)));
      if (line) equations.push({ total: index, line });
    }
  });
  return equations;
}

const magnitude = (value: bigint) => (value < 0n ? -value : value);

/** Whether a cell holds measure `measure`: −1 is people, 0… its values. */
function holds<D extends string>(cell: TableCell<D>, measure: number): boolean {
  return measure < 0 ? cell.beneficiaries > 0 : cell.values[measure] !== 0n;
}

function measuresOf<D extends string>(cells: readonly TableCell<D>[]): number[] {
  return [-1, ...Array.from({ length: Math.max(0, ...cells.map((cell) => cell.values.length)) }, (_value, index) => index)];
}

/** Applies the rule above; see the file's comment. */
export function suppressSmallCells<D extends string>(
  dimensions: readonly D[],
  cells: readonly TableCell<D>[],
  threshold = SUPPRESSION_THRESHOLD,
): SuppressionVerdicts {
  const verdicts: SuppressionVerdicts = cells.map((cell) => (cell.beneficiaries >= 1 && cell.beneficiaries < threshold ? SuppressionReason.SMALL_CELL : null));
  const keys = cells.map((cell) => keyText(dimensions, cell));
  const money = cells.map((cell) => cell.values.reduce((total, value) => total + magnitude(value), 0n));
  const smaller = (a: number, b: number): boolean => {
    if (cells[a].beneficiaries !== cells[b].beneficiaries) return cells[a].beneficiaries < cells[b].beneficiaries;
    if (money[a] !== money[b]) return money[a] < money[b];
    return keys[a] < keys[b];
  };
  const equations = equationsOf(dimensions, cells);
  const measures = measuresOf(cells);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { total, line } of equations) {
      for (const measure of measures) {
        const members = [total, ...line];
        if (members.filter((index) => verdicts[index] !== null && holds(cells[index], measure)).length !== 1) continue;
        const visible = line.filter((index) => verdicts[index] === null && holds(cells[index], measure));
        if (visible.length > 0) {
          verdicts[visible.reduce((best, index) => (smaller(index, best) ? index : best))] = SuppressionReason.COMPLEMENTARY;
        } else if (verdicts[total] === null) {
          // nothing visible in the line holds it: the total would give it away
          verdicts[total] = SuppressionReason.COMPLEMENTARY;
        } else {
          // the total is the one hidden holder and no cell of its line holds the measure: impossible for sums
          continue;
        }
        changed = true;
      }
    }
  }
  return verdicts;
}

/** The equations and measures of the table with exactly one hidden member holding the measure (none after suppressSmallCells). */
export function exposedEquations<D extends string>(
  dimensions: readonly D[],
  cells: readonly TableCell<D>[],
  verdicts: SuppressionVerdicts,
): Array<Equation & { measure: number }> {
  return equationsOf(dimensions, cells).flatMap((equation) =>
    measuresOf(cells)
      .filter((measure) => [equation.total, ...equation.line].filter((index) => verdicts[index] !== null && holds(cells[index], measure)).length === 1)
      .map((measure) => ({ ...equation, measure })),
  );
}
