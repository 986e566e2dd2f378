/**
 * Lookups for the grant diff (planCore.ts). The planner runs once per process (a CLI sync), so its
 * loops mostly run before the JIT has optimized them; there a typed-array read costs far less than
 * a Map probe, and a native sort far less than a JS comparator per comparison.
 */
import { cmp } from '../db/state';

/**
 * Database id → position in a list of rows (-1: none; a repeated id maps to its last row, as a Map
 * built from the rows would). A typed array when the ids are small enough, else a Map.
 */
export class IdIndex {
  private readonly dense: Int32Array | null = null;
  private readonly map: Map<number, number> | null = null;

  constructor(ids: readonly number[]) {
    let max = -1;
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || id < 0) {
        max = Infinity;
        break;
      }
      if (id > max) max = id;
    }
    if (max < 4 * ids.length + 4096) {
      this.dense = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < ids.length; i++) this.dense[ids[i]] = i;
    } else this.map = new Map(ids.map((id, i) => [id, i]));
  }

  get(id: number): number {
    if (this.dense) {
      const v = this.dense[id];
      return v === undefined ? -1 : v;
    }
    return this.map!.get(id) ?? -1;
  }
}

/**
 * Non-negative integer key (below `size`) → non-negative value, -1 for none (a later `set` wins): a
 * typed array when `size` is moderate (e.g. 30,000 permission-views × 51 roles), else a Map.
 */
export class PairIndex {
  private readonly dense: Int32Array | null;
  private readonly map: Map<number, number> | null;

  constructor(size: number) {
    // Stores value + 1, so the zero-filled array means "none" without a fill pass.
    this.dense = size <= 1 << 22 ? new Int32Array(size) : null;
    this.map = this.dense ? null : new Map();
  }

  set(key: number, value: number): void {
    if (this.dense) this.dense[key] = value + 1;
    else this.map!.set(key, value);
  }

  get(key: number): number {
    if (this.dense) {
      const v = this.dense[key];
      return v === undefined ? -1 : v - 1;
    }
    return this.map!.get(key) ?? -1;
  }
}

/**
 * Positions `list` (ascending) sorted by name in code-unit order, ties by position: the same order as
 * `list.sort((x, y) => cmp(name(x), name(y)))`. Distinct names are sorted natively (no JS comparator
 * call per comparison) and mapped back.
 */
export function sortByName(list: number[], name: (i: number) => string): number[] {
  const names = list.map(name);
  const at = new Map<string, number>();
  for (let k = 0; k < list.length; k++) {
    if (at.has(names[k])) return list.sort((x, y) => cmp(name(x), name(y)));
    at.set(names[k], list[k]);
  }
  return names.sort().map((n) => at.get(n)!);
}
