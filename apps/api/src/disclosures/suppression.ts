/**
 * Small-cell suppression for public disclosures (docs/disclosures.md). Pure.
 *
 * A table is the cells of one grouping together with all its marginal totals: for
 * dimensions D, one level of cells for every subset of D (the empty subset is the
 * grand total). A public caller can get every level, by asking the same question
 * grouped by fewer dimensions. For each level S ⊊ D, each of its cells p and each
 * dimension d ∉ S, the cells of level S ∪ {d} that agree with p on S form a *line*
 * whose money figures add up to p: p = c₁ + c₂ + … . In every such equation the
 * number of hidden members must be 0 or at least 2, so that no hidden figure is the
 * difference of visible ones.
 *
 * 1. Every cell with 1 to threshold − 1 beneficiaries is hidden (SMALL_CELL).
 * 2. While some equation has exactly one hidden member: if another cell of the line
 *    is visible, the smallest of them (by beneficiaries, then money, then key) is
 *    hidden too; if the hidden member is the line's only cell, its total (equal to
 *    it) is hidden (COMPLEMENTARY).
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
  /** Size of the cell's money figures (sum of their magnitudes), to pick the smallest complement. */
  readonly money: bigint;
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

/** Applies the rule above; see the file's comment. */
export function suppressSmallCells<D extends string>(
  dimensions: readonly D[],
  cells: readonly TableCell<D>[],
  threshold = SUPPRESSION_THRESHOLD,
): SuppressionVerdicts {
  const verdicts: SuppressionVerdicts = cells.map((cell) => (cell.beneficiaries >= 1 && cell.beneficiaries < threshold ? SuppressionReason.SMALL_CELL : null));
  const keys = cells.map((cell) => keyText(dimensions, cell));
  const smaller = (a: number, b: number): boolean => {
    const [x, y] = [cells[a], cells[b]];
    if (x.beneficiaries !== y.beneficiaries) return x.beneficiaries < y.beneficiaries;
    if (x.money !== y.money) return x.money < y.money;
    return keys[a] < keys[b];
  };
  const equations = equationsOf(dimensions, cells);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { total, line } of equations) {
      const hiddenInLine = line.filter((index) => verdicts[index] !== null);
      const hidden = hiddenInLine.length + (verdicts[total] !== null ? 1 : 0);
      if (hidden !== 1) continue;
      const visible = line.filter((index) => verdicts[index] === null);
      if (visible.length > 0) {
        const smallest = visible.reduce((best, index) => (smaller(index, best) ? index : best));
        verdicts[smallest] = SuppressionReason.COMPLEMENTARY;
      } else if (verdicts[total] === null) {
        // the line is one hidden cell: its total equals it
        verdicts[total] = SuppressionReason.COMPLEMENTARY;
      } else {
        // a hidden total without a line cannot happen (a total has at least one cell): nothing to hide
        continue;
      }
      changed = true;
    }
  }
  return verdicts;
}

/** The equations of the table that have exactly one hidden member (none after suppressSmallCells). */
export function exposedEquations<D extends string>(dimensions: readonly D[], cells: readonly TableCell<D>[], verdicts: SuppressionVerdicts): Equation[] {
  return equationsOf(dimensions, cells).filter(
    ({ total, line }) => line.filter((index) => verdicts[index] !== null).length + (verdicts[total] !== null ? 1 : 0) === 1,
  );
}
