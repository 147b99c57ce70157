/**
 * A small seeded generator (mulberry32), so that every run of `bench:trace` draws
 * from the same sequence of amounts and choices. Concurrent callers take from it in
 * the order their answers arrive, so runs build ledgers of the same mix, not the
 * same ledger; receipt codes and hashes differ anyway (the service draws them).
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<Item>(items: readonly Item[]): Item {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `count` distinct items in random order (all of them, shuffled, if there are fewer). */
  sample<Item>(items: readonly Item[], count: number): Item[] {
    const copy = [...items];
    const size = Math.min(count, copy.length);
    for (let index = 0; index < size; index++) {
      const other = index + Math.floor(this.next() * (copy.length - index));
      [copy[index], copy[other]] = [copy[other], copy[index]];
    }
    return copy.slice(0, size);
  }
}
