/** Module-level constants other files may import: strings, string lists, assets, access_control dicts. */
import type { ExportedValue, Located } from '../model/facts';
import { readAccessControl } from './extractAccessControl';
import { defaultArgsTags } from './extractDags';
import type { AssetTable } from './extractAssets';
import { PASS_THROUGH_CALLS, resolveString, resolveStrings, type ValueCtx } from './extractValues';
import { namedKids, nodeRange, typeOf, unparen } from './syntax';
import type { Node } from 'web-tree-sitter';

const COLLECTIONS = new Set(['list', 'tuple', 'set', 'binary_operator', 'call']);

export function extractExports(ctx: ValueCtx, table: AssetTable): Record<string, ExportedValue> {
  const out: Record<string, ExportedValue> = {};
  for (const [name, assetIndex] of table.byFunction) out[name] = { kind: 'asset', assetIndex, range: table.assets[assetIndex]!.range };
  for (const [name, cls] of ctx.scope.dagClasses) out[name] = { kind: 'dagClass', range: nodeRange(cls.node.childForFieldName('name') ?? cls.node), ownInit: cls.ownInit };
  for (const c of ctx.scope.allConstants()) {
    ctx.scope.budget.tick();
    const v = exportValue(c.value, c.nameNode, ctx, table);
    if (v) out[c.name] = v;
  }
  return out;
}

function passesStringsThrough(call: Node): boolean {
  const fn = call.childForFieldName('function');
  return !!fn && typeOf(fn) === 'identifier' && PASS_THROUGH_CALLS.has(fn.text);
}

const NOT_PERMISSIONS = new Set(['integer', 'float', 'true', 'false', 'none', 'lambda']);
const COLLECTION_CALLS = new Set(['set', 'frozenset', 'list', 'tuple', 'dict']);

/**
 * False when some value of the dict literal cannot be a permission collection: a number, flag,
 * None, lambda or a call other than set()/frozenset()/list()/tuple()/dict(). Strings stay possible
 * (`{"team": "can_read"}` is a mistake worth reporting where the dict is used).
 */
function mayBePermissions(dict: Node): boolean {
  for (const pair of namedKids(dict)) {
    if (typeOf(pair) !== 'pair') continue;
    const value = unparen(namedKids(pair)[1] ?? pair);
    const t = typeOf(value);
    if (NOT_PERMISSIONS.has(t)) return false;
    if (t === 'call') {
      const fn = namedKids(value)[0];
      if (!fn || typeOf(fn) !== 'identifier' || !COLLECTION_CALLS.has(fn.text)) return false;
    }
  }
  return true;
}

/** `[Asset(...), other_asset]`: indexes of the assets when every element is one defined in this file. */
function assetList(v: Node, ctx: ValueCtx, table: AssetTable): number[] | null {
  if (typeOf(v) !== 'list' && typeOf(v) !== 'tuple' && typeOf(v) !== 'set') return null;
  const out: number[] = [];
  for (const el of namedKids(v)) {
    let n = unparen(el);
    if (typeOf(n) === 'identifier') {
      const def = ctx.scope.constant(n.text);
      if (!def) return null;
      n = unparen(def.value);
    }
    const idx = typeOf(n) === 'call' ? table.byNode.get(n.id) : undefined;
    if (idx === undefined) return null;
    out.push(idx);
  }
  return out.length ? out : null;
}

/** A module-level value as other files see it (a constant, or an argument of a call to a factory of another file). */
export function exportValue(value: Node, nameNode: Node, ctx: ValueCtx, table: AssetTable): ExportedValue | undefined {
  {
    const v = unparen(value);
    const asset = typeOf(v) === 'call' ? table.byNode.get(v.id) : undefined;
    // `task = SomeOperator(...)`: a call that is neither an asset nor list()/set()/sorted()... of strings
    // exports nothing (read as a string or a list it is dynamic, with nothing pending).
    if (typeOf(v) === 'call' && asset === undefined && !passesStringsThrough(v)) return undefined;
    const range = nodeRange(value);
    const nameRange = nodeRange(nameNode);
    if (asset !== undefined) {
      return { kind: 'asset', assetIndex: asset, range };
    }
    const assets = assetList(v, ctx, table);
    if (assets) {
      return { kind: 'assets', assetIndexes: assets, range, nameRange };
    }
    if (typeOf(v) === 'dictionary') {
      const tags = defaultArgsTags(v, ctx);
      // Read as access_control only when its values could be permissions: a default_args-style dict
      // (numbers, flags, timedelta(...)) is not one, and its fact was a third of a workspace's cache.
      const fact = mayBePermissions(v) ? readAccessControl(v, nameRange, ctx) : undefined;
      return { kind: 'access_control', range, ...(fact ? { fact } : {}), ...(tags ? { defaultArgsTags: tags } : {}) };
    }
    const s = resolveString(v, ctx);
    if (s.kind === 'static') {
      return { kind: 'string', value: s.value, range, nameRange };
    }
    if (s.pending) {
      return { kind: 'dynamic', range, pending: { shape: 'string', parts: s.pending } };
    }
    if (!COLLECTIONS.has(typeOf(v))) return undefined;
    const list = resolveStrings(v, ctx);
    if (list.dynamic.length === 0) {
      const items: Located<string>[] = list.items.map((t) => ({ value: t.value, range: t.range }));
      return { kind: 'strings', value: items.map((i) => i.value), range, nameRange, items };
    } else if (list.dynamic.every((d) => d.pending)) {
      const parts = [
        ...list.items.map((t) => ({ kind: 'text' as const, value: t.value, range: t.range })),
        ...list.dynamic.flatMap((d) => d.pending ?? []),
      ];
      return { kind: 'dynamic', range, pending: { shape: 'strings', parts } };
    }
  }
  return undefined;
}
