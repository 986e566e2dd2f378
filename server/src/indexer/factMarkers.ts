/**
 * The markers per-file extraction leaves for the cross-file pass, found without serialising the facts,
 * and the copy resolution works on.
 */

/** Keys that only extraction's cross-file markers carry (a pending value, an imported name, a DAG subclass). */
const MARKER_KEYS = new Set(['pending', 'import', 'defaultArgsImport', 'dagClass']);
const RANGE_KEY = /[rR]ange$/;

/**
 * Whether any object in the facts has a marker key with a value JSON keeps (not `undefined`). One walk
 * over the facts, with no copy or string of them (serialising every file was most of the cross-file
 * pass). Ranges (`range`, `nameRange`, ... every key ending in "range" is a `Range` in model/facts.ts)
 * hold only positions and are not entered: they are most of the facts' objects.
 */
export function hasMarker(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasMarker(v)) return true;
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (MARKER_KEYS.has(key)) return true;
    if (typeof v === 'object' && !RANGE_KEY.test(key) && hasMarker(v)) return true;
  }
  return false;
}

/** A deep copy of plain JSON data (facts hold nothing else). */
export const copyOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
