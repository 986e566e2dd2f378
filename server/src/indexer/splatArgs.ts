/**
 * `DAG(**common)` and `DAG("id", **common)`: keyword arguments passed through a dict that is known
 * statically — a module-level dict literal, `dict(...)` of such values, `{**base, "k": v}` — are read
 * as if written at the call. Python rejects a key given twice (TypeError), so an explicit keyword is
 * never overridden. A dict that cannot be read stays a splat, with the reason.
 */
import type { Node } from 'web-tree-sitter';
import { MAX_NESTING } from './budget';
import { lookupName, resolveString, type ValueCtx } from './extractValues';
import { type CallArgs, excerpt, namedKids, typeOf, unparen } from './syntax';

type Entries = Map<string, { name: Node; value: Node }>;
type Read = { ok: true; entries: Entries } | { ok: false; reason: string };

/** Reasons why a `**` argument left in `splats` could not be read, by node id. */
export type SplatReasons = Map<number, string>;

/** `args` with the statically known `**dict` arguments folded into its keywords. */
export function withKnownSplats(args: CallArgs, ctx: ValueCtx): CallArgs & { splatReasons: SplatReasons } {
  const splatReasons: SplatReasons = new Map();
  if (!args.splats.length) return { ...args, splatReasons };
  const keywords = new Map(args.keywords);
  const splats: Node[] = [];
  for (const s of args.splats) {
    ctx.scope.budget.tick();
    if (typeOf(s) !== 'dictionary_splat') {
      splats.push(s);
      continue;
    }
    const inner = namedKids(s)[0];
    const read = inner ? dictEntries(inner, ctx, 0) : { ok: false as const, reason: 'nothing after `**`' };
    if (!read.ok) {
      splats.push(s);
      splatReasons.set(s.id, read.reason);
      continue;
    }
    for (const [k, v] of read.entries) if (!keywords.has(k)) keywords.set(k, v);
  }
  return { ...args, keywords, splats, splatReasons };
}

function dictEntries(node: Node, ctx: ValueCtx, depth: number): Read {
  const n = unparen(node);
  if (depth > MAX_NESTING) return { ok: false, reason: `\`${excerpt(n)}\` is nested too deeply: not followed` };
  ctx.scope.budget.tick();
  switch (typeOf(n)) {
    case 'identifier':
    case 'attribute': {
      const look = lookupName(n, ctx);
      if (look?.kind === 'constant') return dictEntries(look.def.value, ctx, depth + 1);
      if (look?.kind === 'import') return { ok: false, reason: `\`${excerpt(n)}\` is imported from \`${look.ref.module}\`: a dict of keyword arguments is read in its own file only` };
      return { ok: false, reason: look?.kind === 'unknown' ? look.reason : `\`${excerpt(n)}\` is evaluated at run time` };
    }
    case 'dictionary': {
      const entries: Entries = new Map();
      for (const item of namedKids(n)) {
        if (typeOf(item) === 'dictionary_splat') {
          const inner = namedKids(item)[0];
          const r = inner ? dictEntries(inner, ctx, depth + 1) : null;
          if (!r || !r.ok) return r ?? { ok: false, reason: 'nothing after `**`' };
          for (const [k, v] of r.entries) entries.set(k, v);
          continue;
        }
        if (typeOf(item) !== 'pair') return { ok: false, reason: `\`${excerpt(item)}\` is not a key: value pair` };
        const key = item.childForFieldName('key');
        const value = item.childForFieldName('value');
        if (!key || !value) return { ok: false, reason: 'incomplete key: value pair' };
        const k = resolveString(key, ctx);
        if (k.kind !== 'static') return { ok: false, reason: `the key \`${excerpt(key)}\` is computed when the file runs` };
        entries.set(k.value, { name: key, value });
      }
      return { ok: true, entries };
    }
    case 'call': {
      const fn = n.childForFieldName('function');
      if (!fn || typeOf(fn) !== 'identifier' || fn.text !== 'dict' || ctx.scope.timesBound('dict') > 0) {
        return { ok: false, reason: `\`${excerpt(fn ?? n)}(...)\` is computed when the file runs` };
      }
      const entries: Entries = new Map();
      const list = n.childForFieldName('arguments');
      for (const a of list ? namedKids(list) : []) {
        if (typeOf(a) === 'keyword_argument') {
          const name = a.childForFieldName('name');
          const value = a.childForFieldName('value');
          if (name && value) entries.set(name.text, { name, value });
        } else if (typeOf(a) === 'dictionary_splat' || typeOf(a) !== 'list_splat') {
          const r = dictEntries(typeOf(a) === 'dictionary_splat' ? (namedKids(a)[0] ?? a) : a, ctx, depth + 1);
          if (!r.ok) return r;
          for (const [k, v] of r.entries) entries.set(k, v);
        } else return { ok: false, reason: '`dict(*...)` is computed when the file runs' };
      }
      return { ok: true, entries };
    }
    default:
      return { ok: false, reason: `${typeOf(n).replace(/_/g, ' ')} is not a dict known before the file runs` };
  }
}
