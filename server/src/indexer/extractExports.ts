/** Module-level constants other files may import: strings, string lists, assets, access_control dicts. */
import type { ExportedValue, Located } from '../model/facts';
import { readAccessControl } from './extractAccessControl';
import { defaultArgsTags } from './extractDags';
import type { AssetTable } from './extractAssets';
import { resolveString, resolveStrings, type ValueCtx } from './extractValues';
import { namedKids, nodeRange, typeOf, unparen } from './syntax';
import type { Node } from 'web-tree-sitter';

const COLLECTIONS = new Set(['list', 'tuple', 'set', 'binary_operator', 'call']);

export function extractExports(ctx: ValueCtx, table: AssetTable): Record<string, ExportedValue> {
  const out: Record<string, ExportedValue> = {};
  for (const c of ctx.scope.allConstants()) {
    ctx.scope.budget.tick();
    const v = unparen(c.value);
    const range = nodeRange(c.value);
    const nameRange = nodeRange(c.nameNode);
    const asset = typeOf(v) === 'call' ? table.byNode.get(v.id) : undefined;
    if (asset !== undefined) {
      out[c.name] = { kind: 'asset', assetIndex: asset, range };
      continue;
    }
    const assets = assetList(v, ctx, table);
    if (assets) {
      out[c.name] = { kind: 'assets', assetIndexes: assets, range, nameRange };
      continue;
    }
    if (typeOf(v) === 'dictionary') {
      const tags = defaultArgsTags(v, ctx);
      out[c.name] = tags ? { kind: 'access_control', range, fact: readAccessControl(v, nameRange, ctx), defaultArgsTags: tags } : { kind: 'access_control', range, fact: readAccessControl(v, nameRange, ctx) };
      continue;
    }
    const s = resolveString(v, ctx);
    if (s.kind === 'static') {
      out[c.name] = { kind: 'string', value: s.value, range, nameRange };
      continue;
    }
    if (s.pending) {
      out[c.name] = { kind: 'dynamic', range, pending: { shape: 'string', parts: s.pending } };
      continue;
    }
    if (!COLLECTIONS.has(typeOf(v))) continue;
    const list = resolveStrings(v, ctx);
    if (list.dynamic.length === 0) {
      const items: Located<string>[] = list.items.map((t) => ({ value: t.value, range: t.range }));
      out[c.name] = { kind: 'strings', value: items.map((i) => i.value), range, nameRange, items };
    } else if (list.dynamic.every((d) => d.pending)) {
      const parts = [
        ...list.items.map((t) => ({ kind: 'text' as const, value: t.value, range: t.range })),
        ...list.dynamic.flatMap((d) => d.pending ?? []),
      ];
      out[c.name] = { kind: 'dynamic', range, pending: { shape: 'strings', parts } };
    }
  }
  return out;
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
