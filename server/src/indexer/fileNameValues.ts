/**
 * dag_ids made from the file's own name: `os.path.basename(__file__).replace(".py", "")`,
 * `Path(__file__).stem`, `os.path.splitext(os.path.basename(__file__))[0]`, `__file__.split("/")[-1][:-3]`...
 * A small evaluator of the `os.path` / `pathlib` / `str` operations such ids are built with, on the
 * path of the file being read. A value that still holds the folders above the file (the full path)
 * depends on where the file is deployed and is not taken as static.
 */
import type { Node } from 'web-tree-sitter';
import * as path from 'path';
import type { NameLookup, ValueCtx } from './valueCtx';

type Lookup = (n: Node, ctx: ValueCtx) => NameLookup | null;

/** extractValues' name lookup, handed in by each call (passed, not imported: no import loop). */
let lookupName: Lookup = () => null;
import { callArgs, excerpt, namedKids, typeOf, unparen } from './syntax';

/** A string or path computed from `__file__`; `located`: it still holds the folders above the file. */
type Val = { t: 'str'; v: string; located: boolean } | { t: 'path'; v: string; located: boolean } | { t: 'list'; v: string[]; located: boolean };
type Out = { ok: true; val: Val } | { ok: false; reason: string } | null;

const PATH_FUNCTIONS = new Set(['os.path.basename', 'os.path.dirname', 'os.path.splitext', 'os.path.abspath', 'os.path.realpath', 'posixpath.basename', 'posixpath.splitext', 'pathlib.Path', 'pathlib.PurePath', 'pathlib.PurePosixPath']);

/**
 * The string `n` evaluates to when it is built from `__file__`; null when `n` is not such an expression
 * (the caller reports it its own way); a reason when it is one that cannot be followed.
 */
export function fileNameString(n: Node, ctx: ValueCtx, literal: (n: Node) => string | null, lookup: Lookup): { ok: true; value: string } | { ok: false; reason: string } | null {
  lookupName = lookup;
  const r = evaluate(n, ctx, literal, 0);
  if (!r) return null;
  if (!r.ok) return r;
  if (r.val.t !== 'str') return { ok: false, reason: `\`${excerpt(n)}\` is a ${r.val.t === 'path' ? 'path' : 'list'}, not a string` };
  if (r.val.located) return { ok: false, reason: `\`${excerpt(n)}\` holds the folder the file is deployed in, only known where Airflow runs it` };
  return { ok: true, value: r.val.v };
}

function evaluate(node: Node, ctx: ValueCtx, literal: (n: Node) => string | null, depth: number): Out {
  const n = unparen(node);
  if (depth > 16) return null;
  ctx.scope.budget.tick();
  const t = typeOf(n);
  if (t === 'identifier') {
    if (n.text === '__file__') return ctx.scope.timesBound('__file__') ? null : { ok: true, val: { t: 'str', v: ctx.file, located: true } };
    const look = lookupName(n, ctx);
    return look?.kind === 'constant' ? evaluate(look.def.value, ctx, literal, depth + 1) : null;
  }
  if (t === 'attribute') {
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute')?.text;
    const base = obj ? evaluate(obj, ctx, literal, depth + 1) : null;
    if (!base || !base.ok) return base;
    if (base.val.t !== 'path') return null;
    const p = base.val.v;
    if (attr === 'stem') return str(path.parse(p).name);
    if (attr === 'name') return str(path.basename(p));
    if (attr === 'suffix') return str(path.extname(p));
    if (attr === 'parent') return { ok: true, val: { t: 'path', v: path.dirname(p), located: true } };
    return { ok: false, reason: `\`.${attr ?? '?'}\` of a path is not followed` };
  }
  if (t === 'subscript') {
    const value = n.childForFieldName('value');
    const base = value ? evaluate(value, ctx, literal, depth + 1) : null;
    if (!base || !base.ok) return base;
    const index = namedKids(n).slice(1);
    if (index.length !== 1) return { ok: false, reason: `\`${excerpt(n)}\` is looked up at run time` };
    const ix = index[0]!;
    const seq = base.val.t === 'list' ? base.val.v : base.val.t === 'str' ? [...base.val.v] : null;
    if (!seq) return { ok: false, reason: `\`${excerpt(n)}\` is looked up at run time` };
    if (typeOf(ix) === 'slice') {
      const parts = sliceParts(ix);
      if (!parts) return { ok: false, reason: `\`${excerpt(n)}\`: the slice is computed at run time` };
      const sliced = seq.slice(...parts);
      return base.val.t === 'str' ? { ok: true, val: { t: 'str', v: sliced.join(''), located: base.val.located } } : { ok: true, val: { t: 'list', v: sliced, located: base.val.located } };
    }
    const i = intOf(ix);
    if (i === null) return { ok: false, reason: `\`${excerpt(n)}\` is looked up at run time` };
    const el = seq[i < 0 ? seq.length + i : i];
    if (el === undefined) return { ok: false, reason: `\`${excerpt(n)}\` is out of range` };
    // An element of a split path: only the last one is free of the folders above the file.
    const located = base.val.located && !(base.val.t === 'list' && i === -1);
    return { ok: true, val: { t: 'str', v: el, located: base.val.t === 'str' ? base.val.located : located } };
  }
  if (t !== 'call') return null;
  const fn = n.childForFieldName('function');
  if (!fn) return null;
  const args = callArgs(n);
  if (typeOf(fn) === 'attribute') {
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const obj = fn.childForFieldName('object');
    const look = lookupName(fn, ctx);
    if (look?.kind === 'import' && PATH_FUNCTIONS.has(`${look.ref.module}.${look.ref.symbol}`)) return pathFunction(`${look.ref.module}.${look.ref.symbol}`, args.positional, ctx, literal, depth);
    const base = obj ? evaluate(obj, ctx, literal, depth + 1) : null;
    if (!base || !base.ok) return base;
    return method === 'resolve' || method === 'absolute' ? (base.val.t === 'path' ? base : null) : strMethod(base.val, method, args.positional, literal, n);
  }
  if (typeOf(fn) === 'identifier') {
    if (fn.text === 'str' && ctx.scope.timesBound('str') === 0 && args.positional.length === 1) {
      const inner = evaluate(args.positional[0]!, ctx, literal, depth + 1);
      return inner?.ok && inner.val.t === 'path' ? { ok: true, val: { t: 'str', v: inner.val.v, located: inner.val.located } } : inner;
    }
    const look = lookupName(fn, ctx);
    if (look?.kind === 'import' && PATH_FUNCTIONS.has(`${look.ref.module}.${look.ref.symbol}`)) return pathFunction(`${look.ref.module}.${look.ref.symbol}`, args.positional, ctx, literal, depth);
  }
  return null;
}

function str(v: string): Out {
  return { ok: true, val: { t: 'str', v, located: false } };
}

function pathFunction(name: string, positional: Node[], ctx: ValueCtx, literal: (n: Node) => string | null, depth: number): Out {
  const arg = positional[0];
  const inner = arg && positional.length === 1 ? evaluate(arg, ctx, literal, depth + 1) : null;
  if (!inner || !inner.ok) return inner;
  if (inner.val.t === 'list') return { ok: false, reason: `\`${name}\` of a list` };
  const p = inner.val.v;
  const located = inner.val.located;
  switch (name.split('.').pop()) {
    case 'basename':
      return str(path.basename(p));
    case 'dirname':
      return { ok: true, val: { t: 'str', v: path.dirname(p), located: true } };
    case 'splitext': {
      const ext = path.extname(p);
      return { ok: true, val: { t: 'list', v: [p.slice(0, p.length - ext.length), ext], located } };
    }
    case 'abspath':
    case 'realpath':
      return { ok: true, val: { t: 'str', v: p, located: true } };
    default:
      return { ok: true, val: { t: 'path', v: p, located } };
  }
}

function strMethod(val: Val, method: string, positional: Node[], literal: (n: Node) => string | null, call: Node): Out {
  if (val.t !== 'str') return { ok: false, reason: `\`.${method}()\` of a ${val.t} is not followed` };
  const a = positional.map(literal);
  if (a.some((x) => x === null)) return { ok: false, reason: `\`${excerpt(call)}\`: an argument is computed at run time` };
  const s = val.v;
  const keep = (v: string): Out => ({ ok: true, val: { t: 'str', v, located: val.located } });
  switch (method) {
    case 'replace':
      return a.length === 2 ? keep(s.split(a[0]!).join(a[1]!)) : null;
    case 'removesuffix':
      return a.length === 1 ? keep(a[0] && s.endsWith(a[0]) ? s.slice(0, -a[0].length) : s) : null;
    case 'removeprefix':
      return a.length === 1 ? keep(a[0] && s.startsWith(a[0]) ? s.slice(a[0].length) : s) : null;
    case 'lower':
      return keep(s.toLowerCase());
    case 'upper':
      return keep(s.toUpperCase());
    case 'strip':
      return a.length === 0 ? keep(s.trim()) : null;
    case 'split':
    case 'rsplit':
      if (a.length !== 1 || !a[0]) return { ok: false, reason: `\`${excerpt(call)}\` is not followed` };
      return { ok: true, val: { t: 'list', v: s.split(a[0]), located: val.located } };
    default:
      return { ok: false, reason: `\`.${method}()\` is not followed` };
  }
}

function intOf(n: Node): number | null {
  const u = unparen(n);
  if (typeOf(u) === 'integer') return Number(u.text);
  if (typeOf(u) === 'unary_operator' && u.text.startsWith('-')) {
    const inner = namedKids(u)[0];
    return inner && typeOf(inner) === 'integer' ? -Number(inner.text) : null;
  }
  return null;
}

/** `[a:b]` with integer (or missing) bounds and no step, as `Array.slice` arguments. */
function sliceParts(s: Node): [number?, number?] | null {
  const text = s.text.replace(/\s+/g, '');
  const m = /^(-?\d+)?:(-?\d+)?$/.exec(text);
  if (!m) return null;
  const start = m[1] === undefined ? undefined : Number(m[1]);
  const end = m[2] === undefined ? undefined : Number(m[2]);
  return end === undefined ? (start === undefined ? [] : [start]) : [start ?? 0, end];
}
