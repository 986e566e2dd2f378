/**
 * A small seeded PRNG (mulberry32) for fuzzing and synthetic workspaces: the same seed always gives
 * the same sequence, so a failing case can be replayed with ADA_FUZZ_SEED=<seed>.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** The seed from ADA_FUZZ_SEED (decimal or 0x hex), else `fallback`. */
export function seedFromEnv(fallback: number): number {
  const raw = process.env.ADA_FUZZ_SEED;
  if (!raw) return fallback;
  const n = raw.startsWith('0x') ? parseInt(raw.slice(2), 16) : parseInt(raw, 10);
  if (!Number.isFinite(n)) throw new Error(`ADA_FUZZ_SEED=${raw} is not a number`);
  return n >>> 0;
}
