/**
 * A source-neutral value tree that remembers where each value came from. Both YAML documents and
 * the Python `role_mappings = [...]` literal are converted to this, so validation, error location
 * and normalisation are written once.
 */
import type { Range } from '../model/facts';

export type LocatedValue =
  | { kind: 'map'; range: Range; entries: LocatedEntry[] }
  | { kind: 'seq'; range: Range; items: LocatedValue[] }
  | { kind: 'scalar'; range: Range; value: string | number | boolean | null; raw?: string };

export interface LocatedEntry {
  key: string;
  keyRange: Range;
  /** From the start of the key to the end of the value. */
  range: Range;
  value: LocatedValue;
}

/** Plain JavaScript data for zod. Later duplicate keys win (duplicates are reported by the source). */
export function toPlain(v: LocatedValue): unknown {
  switch (v.kind) {
    case 'scalar':
      return v.value;
    case 'seq':
      return v.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of v.entries) out[e.key] = toPlain(e.value);
      return out;
    }
  }
}

/** Large mappings (a config's `roles:`) get a key index on first lookup, so locating every role is linear (entries never change after parsing). */
const INDEXED_FROM = 16;
const entryIndex = new WeakMap<LocatedEntry[], Map<string, LocatedEntry>>();

/** The entry of `key` (the last one when the key is repeated). */
export function entryOf(map: LocatedValue | undefined, key: string): LocatedEntry | undefined {
  if (!map || map.kind !== 'map') return undefined;
  if (map.entries.length >= INDEXED_FROM) {
    let index = entryIndex.get(map.entries);
    if (!index) {
      index = new Map(map.entries.map((e) => [e.key, e]));
      entryIndex.set(map.entries, index);
    }
    return index.get(key);
  }
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i].key === key) return map.entries[i];
  return undefined;
}

export interface PathTarget {
  /** Deepest value reached. */
  node: LocatedValue;
  /** The map entry holding `node`, when it was reached through a key. */
  entry?: LocatedEntry;
  /** Number of path segments actually resolved (less than path.length when something is missing). */
  depth: number;
}

/** Follow a zod issue path as far as the source allows. */
export function locatePath(root: LocatedValue, path: readonly PropertyKey[]): PathTarget {
  let target: PathTarget = { node: root, depth: 0 };
  for (const seg of path) {
    const cur = target.node;
    if (cur.kind === 'map') {
      const e = entryOf(cur, String(seg));
      if (!e) break;
      target = { node: e.value, entry: e, depth: target.depth + 1 };
    } else if (cur.kind === 'seq' && typeof seg === 'number' && seg < cur.items.length) {
      target = { node: cur.items[seg], depth: target.depth + 1 };
    } else {
      break;
    }
  }
  return target;
}

export function describeValue(v: LocatedValue | undefined): string {
  if (!v) return 'nothing';
  if (v.kind === 'map') return 'a mapping';
  if (v.kind === 'seq') return 'a list';
  if (v.value === null) return 'an empty value';
  return typeof v.value === 'string' ? `the string '${v.value}'` : `${typeof v.value} ${String(v.value)}`;
}
