/**
 * Lots in first-in-first-out order with a cursor past the exhausted ones, so a
 * draw does not rescan a long history. Restoring a lot (an undone draw) moves
 * the cursor back to it.
 */
export class LotQueue<Lot extends { remaining: number }> {
  private readonly lots: Lot[] = [];
  private readonly positions = new Map<Lot, number>();
  private cursor = 0;

  push(lot: Lot): void {
    this.positions.set(lot, this.lots.length);
    this.lots.push(lot);
  }

  /** Lots with something left, oldest first. */
  *available(): Generator<Lot> {
    while (this.cursor < this.lots.length && this.lots[this.cursor].remaining <= 0) this.cursor += 1;
    for (let index = this.cursor; index < this.lots.length; index++) {
      if (this.lots[index].remaining > 0) yield this.lots[index];
    }
  }

  /** Call after a lot regained something, so it is found again. */
  restored(lot: Lot): void {
    const position = this.positions.get(lot);
    if (position !== undefined && position < this.cursor) this.cursor = position;
  }

  total(): number {
    let sum = 0;
    for (const lot of this.available()) sum += lot.remaining;
    return sum;
  }
}
