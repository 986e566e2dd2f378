/**
 * Properly nested byte ranges (functions, classes, lambdas, comprehensions, DAG bodies) arranged as a
 * forest once, so "which of these encloses this node?" is answered in JS without walking `Node.parent`.
 * (In web-tree-sitter each `parent` step restarts from the root, so ancestor walks cost O(depth²)
 * through the wasm boundary, which deep or hostile input turns into minutes.)
 */

export interface Span<T> {
  start: number;
  end: number;
  value: T;
}

interface Entry<T> extends Span<T> {
  /** Index of the innermost entry that encloses this one, or -1. */
  up: number;
}

export class RangeForest<T> {
  private readonly entries: Entry<T>[] = [];

  /** `spans` in any order; ranges that overlap without nesting (never the case in one syntax tree) are nested by start. */
  constructor(spans: Iterable<Span<T>>) {
    const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
    const open: number[] = [];
    for (const s of sorted) {
      while (open.length && this.entries[open[open.length - 1]!]!.end < s.end) open.pop();
      const up = open.length ? open[open.length - 1]! : -1;
      this.entries.push({ ...s, up });
      open.push(this.entries.length - 1);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Values of the spans enclosing [start, end), innermost first. A span equal to the range encloses it. */
  *around(start: number, end: number): Generator<T> {
    let i = this.lastStartingAtOrBefore(start);
    while (i >= 0) {
      const e = this.entries[i]!;
      // An entry that ends too early: only its ancestors can enclose the range (proper nesting).
      if (e.end >= end) yield e.value;
      i = e.up;
    }
  }

  /** Innermost enclosing value, or undefined. */
  innermost(start: number, end: number): T | undefined {
    for (const v of this.around(start, end)) return v;
    return undefined;
  }

  private lastStartingAtOrBefore(pos: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.start <= pos) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
