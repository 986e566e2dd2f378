/**
 * Assets and datasets: `Asset(...)` / `Dataset(...)` definitions (with `AssetAccessControl`), and
 * references to them from schedules (consumers) and outlets (producers).
 */
import type { Node } from 'web-tree-sitter';
import type { AssetAccessControlFact, AssetFact, AssetRefFact, DynamicPart, Located, Range, Resolved, TagFact } from '../model/facts';
import { lookupName, newRoom, resolveString, resolveStrings, spend, TOO_MANY, type Room, type ValueCtx } from './extractValues';
import { callArgs, type CallSite, excerpt, namedKids, nodeRange, typeOf, unparen } from './syntax';

export const ASSET_CLASSES = new Set(['Asset', 'Dataset']);
const COMBINATORS = new Set(['AssetAll', 'AssetAny', 'DatasetAll', 'DatasetAny']);
const OR_TIME = new Set(['AssetOrTimeSchedule', 'DatasetOrTimeSchedule']);
/** Schedules that are not asset-driven (cron, intervals, timetables): no consumers, nothing dynamic. */
const TIME_SCHEDULE = /timetable|timedelta|duration|relativedelta|cron|datetime/i;
const MAX_DEPTH = 16;

export interface AssetTable {
  assets: AssetFact[];
  /** Call-node id → index into `assets`. */
  byNode: Map<number, number>;
}

export function strip(r: Resolved<string> & { literal?: Range }): Resolved<string> {
  const { literal: _literal, ...rest } = r;
  return rest;
}

export function collectAssets(calls: CallSite[], ctx: ValueCtx): AssetTable {
  const table: AssetTable = { assets: [], byNode: new Map() };
  for (const { call, name } of calls) {
    if (!name || !ASSET_CLASSES.has(name)) continue;
    ctx.scope.budget.tick();
    table.byNode.set(call.id, table.assets.length);
    table.assets.push(readAsset(call, name === 'Dataset' ? 'Dataset' : 'Asset', ctx));
  }
  return table;
}

function readAsset(call: Node, kind: 'Asset' | 'Dataset', ctx: ValueCtx): AssetFact {
  const a = callArgs(call);
  const nameNode = a.keywords.get('name')?.value ?? (kind === 'Asset' ? a.positional[0] : undefined);
  const uriNode = a.keywords.get('uri')?.value ?? (kind === 'Asset' ? a.positional[1] : a.positional[0]);
  const name = nameNode ? strip(resolveString(nameNode, ctx)) : null;
  const uri = uriNode ? strip(resolveString(uriNode, ctx)) : null;
  const key = name ? (name.kind === 'static' ? name.value : null) : uri?.kind === 'static' ? uri.value : null;
  const fact: AssetFact = { kind, name, uri, key, range: nodeRange(call), accessControl: null, allowProducerTeams: null };
  const assigned = ctx.places.assignedTo(call);
  if (assigned?.topLevel && assigned.left && typeOf(assigned.left) === 'identifier') fact.variable = { value: assigned.left.text, range: nodeRange(assigned.left) };
  const ac = a.keywords.get('access_control');
  if (ac) fact.accessControl = readAssetAccessControl(ac.value, ctx);
  const apt = a.keywords.get('allow_producer_teams');
  if (apt) fact.allowProducerTeams = { range: nodeRange(apt.value), keywordRange: nodeRange(apt.name), teams: resolveStrings(apt.value, ctx).items };
  return fact;
}

function readAssetAccessControl(value: Node, ctx: ValueCtx): AssetAccessControlFact {
  const fact: AssetAccessControlFact = { range: nodeRange(value), producerTeams: null, consumerTeams: null, allowGlobal: null, dynamic: [] };
  let n = unparen(value);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const look = lookupName(n, ctx);
    if (look?.kind !== 'constant') break;
    n = unparen(look.def.value);
  }
  const fn = typeOf(n) === 'call' ? n.childForFieldName('function') : null;
  if (!fn || ctx.scope.airflowName(fn) !== 'AssetAccessControl') {
    fact.dynamic.push({ range: nodeRange(n), reason: `\`${excerpt(n)}\` is not an AssetAccessControl(...) call that can be read statically` });
    return fact;
  }
  const a = callArgs(n);
  const teams = (key: string): TagFact[] | null => {
    const kw = a.keywords.get(key);
    if (!kw) return null;
    const r = resolveStrings(kw.value, ctx);
    fact.dynamic.push(...r.dynamic);
    return r.items;
  };
  fact.producerTeams = teams('producer_teams');
  fact.consumerTeams = teams('consumer_teams');
  const g = a.keywords.get('allow_global');
  if (g) {
    const b = readBool(g.value, ctx);
    if (b) fact.allowGlobal = b;
    else fact.dynamic.push({ range: nodeRange(g.value), reason: 'allow_global is not a literal True/False' });
  }
  for (const p of [...a.positional, ...a.splats]) fact.dynamic.push({ range: nodeRange(p), reason: 'positional or unpacked arguments are not read; use keywords' });
  return fact;
}

function readBool(node: Node, ctx: ValueCtx): Located<boolean> | null {
  let n = unparen(node);
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (typeOf(n) === 'true' || typeOf(n) === 'false') return { value: typeOf(n) === 'true', range: nodeRange(node) };
    const look = lookupName(n, ctx);
    if (look?.kind !== 'constant') return null;
    n = unparen(look.def.value);
  }
  return null;
}

export interface AssetRefs {
  refs: AssetRefFact[];
  dynamic: DynamicPart[];
}

/** Asset references in a `schedule=` (consumers) or `outlets=` (producers) expression. */
export function readAssetRefs(node: Node, ctx: ValueCtx, table: AssetTable, mode: 'schedule' | 'outlets'): AssetRefs {
  const out: AssetRefs = { refs: [], dynamic: [] };
  walkRefs(node, ctx, table, mode, out, 0, newRoom());
  return out;
}

function walkRefs(node: Node, ctx: ValueCtx, table: AssetTable, mode: 'schedule' | 'outlets', out: AssetRefs, depth: number, room: Room): void {
  const n = unparen(node);
  const dyn = (reason: string): void => void out.dynamic.push({ range: nodeRange(n), reason });
  if (depth > MAX_DEPTH) return dyn('constant chain too deep');
  if (!spend(room, ctx)) return room.reported ? undefined : ((room.reported = true), dyn(TOO_MANY));
  const recurse = (c: Node): void => walkRefs(c, ctx, table, mode, out, depth + 1, room);
  switch (typeOf(n)) {
    case 'list':
    case 'tuple':
    case 'set':
      for (const el of namedKids(n)) recurse(typeOf(el) === 'list_splat' ? (namedKids(el)[0] ?? el) : el);
      return;
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.text;
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if ((op === '|' || op === '&' || op === '+') && l && r) return (recurse(l), recurse(r));
      return dyn(`\`${op ?? '?'}\` expression is evaluated at run time`);
    }
    case 'call':
      return callRefs(n, ctx, table, mode, out, recurse, dyn);
    case 'identifier':
    case 'attribute': {
      const look = lookupName(n, ctx) ?? { kind: 'unknown' as const, reason: `\`${excerpt(n)}\` is evaluated at run time` };
      if (look.kind === 'unknown') return dyn(look.reason);
      if (look.kind === 'import') {
        out.refs.push({ key: null, range: nodeRange(n), import: look.ref, reason: `\`${excerpt(n)}\` is imported from \`${look.ref.module}\`` });
        return;
      }
      const v = unparen(look.def.value);
      const idx = typeOf(v) === 'call' ? table.byNode.get(v.id) : undefined;
      if (idx !== undefined) out.refs.push({ key: table.assets[idx]!.key, range: nodeRange(n), localAsset: idx });
      else recurse(v);
      return;
    }
    case 'string':
    case 'concatenated_string':
    case 'none':
    case 'integer':
    case 'true':
    case 'false':
      return;
    default:
      return dyn(`${typeOf(n).replace(/_/g, ' ')} is not evaluated statically`);
  }
}

function callRefs(n: Node, ctx: ValueCtx, table: AssetTable, mode: 'schedule' | 'outlets', out: AssetRefs, recurse: (c: Node) => void, dyn: (r: string) => void): void {
  const idx = table.byNode.get(n.id);
  if (idx !== undefined) {
    out.refs.push({ key: table.assets[idx]!.key, range: nodeRange(n), localAsset: idx });
    return;
  }
  const fn = n.childForFieldName('function');
  const name = fn ? ctx.scope.airflowName(fn) : null;
  const a = callArgs(n);
  if (name && COMBINATORS.has(name)) return a.positional.forEach(recurse);
  if (name && OR_TIME.has(name)) {
    const assets = a.keywords.get('assets') ?? a.keywords.get('datasets');
    if (assets) recurse(assets.value);
    return;
  }
  const callee = fn?.text ?? '';
  if (mode === 'schedule' && TIME_SCHEDULE.test(callee.split('.').pop() ?? '')) return;
  if (name === 'AssetAlias' || name === 'DatasetAlias' || callee.endsWith('AssetAlias') || callee.endsWith('DatasetAlias')) return dyn(aliasReason(n, a, ctx));
  dyn(`\`${excerpt(fn ?? n)}(...)\` is computed when the file runs`);
}

/** Why an `AssetAlias(...)` cannot be followed: tasks attach assets to the alias when they run. */
function aliasReason(call: Node, a: ReturnType<typeof callArgs>, ctx: ValueCtx): string {
  const nameNode = a.keywords.get('name')?.value ?? a.positional[0];
  const name = nameNode ? resolveString(nameNode, ctx) : null;
  const label = name?.kind === 'static' ? `asset alias "${name.value}"` : `asset alias \`${excerpt(call)}\``;
  return `${label}: the assets behind an alias are attached by tasks at run time, so which assets it stands for is not known statically`;
}
