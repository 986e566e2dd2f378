/**
 * Static values: string literals, module-level constants, f-strings and `+` concatenations of resolvable
 * parts, and collections of strings. Anything else is reported as dynamic with a reason, never guessed.
 * Names imported from other modules become `pending` parts that the workspace index resolves.
 */
import type { Node } from 'web-tree-sitter';
import type { DynamicPart, ImportRef, PendingPart, Range, Resolved, TagFact, ValueOrigin } from '../model/facts';
import { MAX_NESTING } from './budget';
import type { CallPlacements } from './placements';
import { decodeEscapes } from './pyString';
import { fileNameString } from './fileNameValues';
import type { NameLookup, ValueCtx } from './valueCtx';

export type { NameLookup, ValueCtx } from './valueCtx';
import type { ConstantDef, ModuleScope } from './scope';
import { dottedParts, excerpt, kids, namedKids, nodeRange, pos, textOf, typeOf, unparen } from './syntax';


/**
 * The module name of a factory parameter read symbolically (a factory exported to other files): its
 * value is left pending, like an import, and each caller's argument fills it in (see crossFile).
 */
export const PARAMETER_MODULE = '<factory parameter>';

const MAX_DEPTH = 24;
/** Nodes one resolution may visit: constants that repeat constants (`b = [*a, *a, …]`) grow exponentially. */
const MAX_WORK = 10_000;
export const TOO_MANY = `expands to more than ${MAX_WORK} parts through constants: not followed`;

/** What is left of one top-level resolution's work allowance (shared by its recursive calls). */
export interface Room {
  left: number;
  reported?: boolean;
}

export function newRoom(): Room {
  return { left: MAX_WORK };
}

/** Take one unit of work; false once the allowance is used up. */
export function spend(room: Room, ctx: ValueCtx): boolean {
  ctx.scope.budget.tick();
  return room.left-- > 0;
}

export const TOO_DEEP = `nested more than ${MAX_NESTING} parentheses deep: not followed`;


export function joinModule(mod: string, sub: string): string {
  return mod.endsWith('.') ? mod + sub : `${mod}.${sub}`;
}

/**
 * What an identifier or dotted name refers to; `unknown` (with a reason) for an attribute of anything
 * else (`cfg["a"].b`, `f().b`); null when `n` is not a name or an attribute.
 */
export function lookupName(n: Node, ctx: ValueCtx): NameLookup | null {
  const parts = dottedParts(n);
  if (!parts) {
    if (typeOf(n) !== 'attribute') return null;
    return { kind: 'unknown', reason: `\`${excerpt(n)}\` is an attribute of a value computed at run time (or a name nested too deeply)` };
  }
  const name = parts[0]!;
  const local = ctx.scope.localOwner(n, name);
  if (local) {
    const bound = local.fnId !== undefined && local.fnId === ctx.params?.fnId ? ctx.params.values.get(name) : undefined;
    if (bound && parts.length === 1) return { kind: 'constant', def: { name, nameNode: bound, value: bound } };
    if (ctx.params?.symbolic && local.fnId === ctx.params.fnId && parts.length === 1 && local.kind === 'function' && !ctx.scope.bodyBindingsOf(local.fnId)?.has(name)) {
      return { kind: 'import', ref: { module: PARAMETER_MODULE, symbol: name } };
    }
    return { kind: 'unknown', reason: localReason(name, local) };
  }
  if (parts.length === 1) {
    const def = ctx.scope.constant(name);
    if (def) return { kind: 'constant', def };
    const imp = ctx.scope.importOf(name);
    if (imp && imp.symbol !== null) return { kind: 'import', ref: { module: imp.module, symbol: imp.symbol } };
    if (imp) return { kind: 'unknown', reason: `\`${name}\` is a module` };
    if (ctx.scope.loopVars.has(name)) return { kind: 'unknown', reason: `\`${name}\` is a loop variable: it takes a different value on each iteration` };
    if (ctx.scope.timesBound(name) > 1) return { kind: 'unknown', reason: `\`${name}\` is assigned more than once` };
    if (ctx.scope.timesBound(name) === 1) return { kind: 'unknown', reason: `\`${name}\` is not a plain module-level constant` };
    return { kind: 'unknown', reason: `\`${name}\` is not defined in this file` };
  }
  const imp = ctx.scope.importOf(name);
  if (imp) {
    const base = imp.symbol === null ? imp.module : joinModule(imp.module, imp.symbol);
    const mid = parts.slice(1, -1);
    const mod = mid.reduce((m, p) => joinModule(m, p), base);
    return { kind: 'import', ref: { module: mod, symbol: parts[parts.length - 1]! } };
  }
  return { kind: 'unknown', reason: `\`${excerpt(n)}\` is an attribute evaluated at run time` };
}

function localReason(name: string, local: { kind: 'function' | 'comprehension' | 'deep'; owner: string }): string {
  if (local.kind === 'function') return `\`${name}\` is a local variable or parameter of \`${local.owner}\`, only known when it runs`;
  if (local.kind === 'comprehension') return `\`${name}\` is a comprehension variable`;
  return `\`${name}\` is nested more than ${MAX_NESTING} functions, lambdas or comprehensions deep: not followed`;
}

export function originOf(def: ConstantDef, ctx: ValueCtx, ref: Node): ValueOrigin {
  return { name: def.name, file: ctx.file, range: nodeRange(def.nameNode), refRange: nodeRange(ref) };
}

type Str =
  | { ok: true; value: string; literal: Range; via?: ValueOrigin }
  | { ok: false; reason: string; range: Range; pending?: PendingPart[] };

function fail(n: Node, reason: string, pending?: PendingPart[]): Str {
  return pending ? { ok: false, reason, range: nodeRange(n), pending } : { ok: false, reason, range: nodeRange(n) };
}

function combine(parts: Str[], whole: Node): Str {
  const hard = parts.find((p) => !p.ok && !p.pending);
  if (hard) return hard;
  if (parts.every((p) => p.ok)) {
    const value = parts.map((p) => (p.ok ? p.value : '')).join('');
    const via = parts.find((p): p is Extract<Str, { ok: true }> => p.ok && !!p.via)?.via;
    return via ? { ok: true, value, literal: nodeRange(whole), via } : { ok: true, value, literal: nodeRange(whole) };
  }
  const pending: PendingPart[] = [];
  for (const p of parts) {
    if (p.ok) pending.push({ kind: 'text', value: p.value, range: p.literal });
    else pending.push(...(p.pending ?? []));
  }
  const reason = parts.find((p): p is Extract<Str, { ok: false }> => !p.ok)?.reason ?? 'depends on an import';
  return { ok: false, reason, range: nodeRange(whole), pending };
}

/**
 * A one-line literal with no escapes, braces or bytes prefix (`"etl"`, `r'x'`): its value is the text between
 * the quotes. Most strings in DAG files look like this, and reading them from the text saves the round trips
 * into wasm that the children (`string_start`, `string_content`, `string_end`) and their ranges cost.
 */
const PLAIN_STRING = /^[rRuU]?(["'])([^"'\\\n\r{}]*)\1$/;

function stringNode(n: Node, ctx: ValueCtx, depth: number, room: Room): Str {
  const text = textOf(n);
  const plain = PLAIN_STRING.exec(text);
  if (plain) {
    const start = pos(n.startPosition);
    return { ok: true, value: plain[2]!, literal: { start, end: { line: start.line, character: start.character + text.length } } };
  }
  const start = kids(n).find((c) => typeOf(c) === 'string_start')?.text ?? '"';
  const prefix = start.replace(/["']/g, '').toLowerCase();
  if (prefix.includes('b')) return fail(n, 'bytes literal, not a string');
  const raw = prefix.includes('r');
  const parts: Str[] = [];
  for (const c of kids(n)) {
    if (typeOf(c) === 'string_content') parts.push({ ok: true, value: raw ? c.text : decodeEscapes(c.text), literal: nodeRange(c) });
    else if (typeOf(c) === 'escape_sequence') parts.push({ ok: true, value: decodeEscapes(c.text), literal: nodeRange(c) });
    else if (typeOf(c) === 'interpolation') parts.push(interpolation(c, ctx, depth, room));
  }
  const r = combine(parts, n);
  return r.ok ? { ...r, literal: nodeRange(n) } : r;
}

function interpolation(c: Node, ctx: ValueCtx, depth: number, room: Room): Str {
  const inner = namedKids(c);
  if (inner.some((x) => typeOf(x) === 'type_conversion' || typeOf(x) === 'format_specifier')) return fail(c, 'f-string conversion or format spec is applied at run time');
  const expr = c.childForFieldName('expression') ?? inner[0];
  if (!expr) return fail(c, 'empty f-string expression');
  const e = unparen(expr);
  if (typeOf(e) === 'integer') return { ok: true, value: String(Number(e.text.replace(/_/g, ''))), literal: nodeRange(e) };
  return strOf(e, ctx, depth + 1, room, true);
}

function strOf(node: Node, ctx: ValueCtx, depth: number, room: Room, inFString = false): Str {
  const n = unparen(node);
  if (depth > MAX_DEPTH) return fail(n, 'constant chain too deep');
  if (!spend(room, ctx)) return fail(n, TOO_MANY);
  switch (typeOf(n)) {
    case 'string':
      return stringNode(n, ctx, depth, room);
    case 'concatenated_string':
      return combine(namedKids(n).map((c) => strOf(c, ctx, depth + 1, room)), n);
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if (op !== '+' || !l || !r) return fail(n, `\`${op ?? '?'}\` expression is evaluated at run time`);
      return combine([strOf(l, ctx, depth + 1, room), strOf(r, ctx, depth + 1, room)], n);
    }
    case 'identifier':
    case 'attribute': {
      const look = lookupName(n, ctx) ?? { kind: 'unknown' as const, reason: `\`${excerpt(n)}\` is evaluated at run time` };
      if (look.kind === 'unknown') return typeOf(n) === 'attribute' ? (fromFileName(n, ctx, depth, room) ?? fail(n, look.reason)) : fail(n, look.reason);
      if (look.kind === 'import') {
        return fail(n, `\`${excerpt(n)}\` is imported from \`${look.ref.module}\``, [{ kind: 'import', ref: look.ref, range: nodeRange(n) }]);
      }
      const r = strOf(look.def.value, ctx, depth + 1, room, inFString);
      return r.ok ? { ...r, via: originOf(look.def, ctx, n) } : r.pending ? { ...r, range: nodeRange(n) } : r;
    }
    case 'integer':
      return inFString ? { ok: true, value: n.text, literal: nodeRange(n) } : fail(n, 'a number, not a string');
    case 'call':
      return fromFileName(n, ctx, depth, room) ?? fail(n, `\`${excerpt(n.childForFieldName('function') ?? n)}(...)\` is computed when the file runs`);
    case 'subscript':
      return fromFileName(n, ctx, depth, room) ?? fail(n, `\`${excerpt(n)}\` is looked up at run time`);
    case 'none':
      return fail(n, 'None');
    case 'parenthesized_expression':
      return fail(n, TOO_DEEP);
    case 'ERROR':
      return fail(n, 'it has a syntax error');
    default:
      return fail(n, `${typeOf(n).replace(/_/g, ' ')} is not a static string`);
  }
}

/** A string made from the file's own name (`Path(__file__).stem`...), or null when `n` is not one. */
function fromFileName(n: Node, ctx: ValueCtx, depth: number, room: Room): Str | null {
  const literal = (a: Node): string | null => {
    const s = strOf(a, ctx, depth + 1, room);
    return s.ok ? s.value : null;
  };
  const r = fileNameString(n, ctx, literal, lookupName);
  if (!r) return null;
  return r.ok ? { ok: true, value: r.value, literal: nodeRange(n) } : fail(n, r.reason);
}

/** A single string value: static with its value, or dynamic with a reason (and pending imports). */
export function resolveString(node: Node, ctx: ValueCtx): Resolved<string> & { literal?: Range } {
  const r = strOf(node, ctx, 0, newRoom());
  if (r.ok) return r.via ? { kind: 'static', value: r.value, range: nodeRange(node), via: r.via, literal: r.literal } : { kind: 'static', value: r.value, range: nodeRange(node), literal: r.literal };
  return r.pending ? { kind: 'dynamic', range: nodeRange(node), reason: r.reason, pending: r.pending } : { kind: 'dynamic', range: nodeRange(node), reason: r.reason };
}

export interface StringsResult {
  items: TagFact[];
  dynamic: DynamicPart[];
}

/** Calls that hand their one argument's strings through: `list(TAGS)`, `sorted({...})`. */
export const PASS_THROUGH_CALLS = new Set(['list', 'tuple', 'set', 'sorted', 'frozenset']);

/** A collection of strings (`tags=[...]`, actions, team lists), through constants, `+` and `*splat`. */
export function resolveStrings(node: Node, ctx: ValueCtx, depth = 0, room: Room = newRoom()): StringsResult {
  const n = unparen(node);
  const out: StringsResult = { items: [], dynamic: [] };
  const dyn = (at: Node, reason: string, pending?: PendingPart[]): StringsResult => {
    out.dynamic.push(pending ? { range: nodeRange(at), reason, pending } : { range: nodeRange(at), reason });
    return out;
  };
  if (depth > MAX_DEPTH) return dyn(n, 'constant chain too deep');
  if (!spend(room, ctx)) return room.reported ? out : ((room.reported = true), dyn(n, TOO_MANY));
  const merge = (r: StringsResult): void => {
    out.items.push(...r.items);
    out.dynamic.push(...r.dynamic);
  };
  switch (typeOf(n)) {
    case 'list':
    case 'tuple':
    case 'set':
      for (const el of namedKids(n)) {
        if (typeOf(el) === 'list_splat') {
          const inner = namedKids(el)[0];
          if (inner) merge(resolveStrings(inner, ctx, depth + 1, room));
          continue;
        }
        const s = strOf(el, ctx, depth + 1, room);
        if (s.ok) out.items.push(s.via ? { value: s.value, range: s.literal, via: s.via } : { value: s.value, range: s.literal });
        else dyn(el, s.reason, s.pending);
      }
      return out;
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if ((op !== '+' && op !== '|') || !l || !r) return dyn(n, `\`${op ?? '?'}\` expression is evaluated at run time`);
      merge(resolveStrings(l, ctx, depth + 1, room));
      merge(resolveStrings(r, ctx, depth + 1, room));
      return out;
    }
    case 'identifier':
    case 'attribute': {
      const look = lookupName(n, ctx) ?? { kind: 'unknown' as const, reason: `\`${excerpt(n)}\` is evaluated at run time` };
      if (look.kind === 'unknown') return dyn(n, look.reason);
      if (look.kind === 'import') return dyn(n, `\`${excerpt(n)}\` is imported from \`${look.ref.module}\``, [{ kind: 'import', ref: look.ref, range: nodeRange(n) }]);
      const inner = resolveStrings(look.def.value, ctx, depth + 1, room);
      const via = originOf(look.def, ctx, n);
      out.items.push(...inner.items.map((t) => ({ ...t, via })));
      out.dynamic.push(...inner.dynamic);
      return out;
    }
    case 'none':
      return out;
    case 'call': {
      const fn = n.childForFieldName('function');
      const arg = n.childForFieldName('arguments');
      const args = arg ? namedKids(arg) : [];
      if (fn && typeOf(fn) === 'identifier' && PASS_THROUGH_CALLS.has(fn.text) && args.length === 1 && typeOf(args[0]!) !== 'keyword_argument') {
        return resolveStrings(args[0]!, ctx, depth + 1, room);
      }
      return dyn(n, `\`${excerpt(fn ?? n)}(...)\` is computed when the file runs`);
    }
    case 'string':
    case 'concatenated_string':
      return dyn(n, 'a single string where a collection of strings is expected');
    case 'parenthesized_expression':
      return dyn(n, TOO_DEEP);
    default:
      return dyn(n, `${typeOf(n).replace(/_/g, ' ')} is not evaluated statically`);
  }
}
