import { createHash } from 'node:crypto';

/**
 * The demo's seeded generator (sfc32, 128 bits of state). Every stream is derived
 * from the seed and a label (`stream('charity/3')`), so each charity's history
 * depends only on the seed and its own label: adding charities (--scale) leaves
 * the others' entries as they were.
 */
export class DemoRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: Buffer) {
    this.a = state.readUInt32LE(0);
    this.b = state.readUInt32LE(4);
    this.c = state.readUInt32LE(8);
    this.d = state.readUInt32LE(12);
    // discard the first outputs, as sfc32's authors advise
    for (let index = 0; index < 15; index++) this.next();
  }

  /** The stream of `label` under `seed`. */
  static stream(seed: string, label: string): DemoRandom {
    return new DemoRandom(createHash('sha256').update(`charity-ledger/demo/v1\n${seed}\n${label}`, 'utf8').digest());
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  }

  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<Item>(items: readonly Item[]): Item {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A number around 1 with a long right tail (log-normal, σ given): gift and grant sizes. */
  skewed(sigma: number): number {
    // Box–Muller
    const u = 1 - this.next();
    const v = this.next();
    return Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }

  /** The items in random order. */
  shuffle<Item>(items: readonly Item[]): Item[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [copy[index], copy[other]] = [copy[other], copy[index]];
    }
    return copy;
  }
}
