/**
 * DAG definitions: `with DAG(...) as dag:`, `dag = DAG(...)`, bare `DAG(...)` calls and the `@dag`
 * decorator, each only when the callee comes from an Airflow import. Reads dag_id, tags, default_args
 * tags, access_control and schedule; producers (outlets) are attached by extractProducers.
 */
import type { Node } from 'web-tree-sitter';
import type { DagFact, Range, TagsFact } from '../model/facts';
import { readAccessControl } from './extractAccessControl';
import { readAssetRefs, strip, type AssetTable } from './extractAssets';
import type { Span } from './rangeForest';
import { lookupName, resolveString, resolveStrings, type ValueCtx } from './extractValues';
import { hasErrorIn, sourceOf } from './nodeMemo';
import { callArgs, type CallArgs, type CallSite, kids, namedKids, nodeRange, pos, typeOf, unparen } from './syntax';

/** Where tasks of a DAG are written: block-node id → DAG index; and variables bound to DAGs. */
export interface DagContexts {
  blocks: Map<number, number>;
  /** The same blocks as byte ranges, for enclosing-DAG lookups without ancestor walks. */
  blockSpans: Span<number>[];
  vars: Map<string, { at: number; dag: number }[]>;
}

export interface DagsResult {
  dags: DagFact[];
  contexts: DagContexts;
}

/** `statements`: the module's import-time statements (`moduleStatements`). */
export function extractDags(statements: Node[], calls: CallSite[], decorated: Node[], ctx: ValueCtx, table: AssetTable): DagsResult {
  const res: DagsResult = { dags: [], contexts: { blocks: new Map(), blockSpans: [], vars: new Map() } };
  const addBlock = (body: Node, dag: number): void => {
    res.contexts.blocks.set(body.id, dag);
    res.contexts.blockSpans.push({ start: body.startIndex, end: body.endIndex, value: dag });
  };
  const budget = ctx.scope.budget;
  let topDefs: Set<number> | undefined;
  const bindVar = (name: string, at: Node, dag: number): void => {
    const list = res.contexts.vars.get(name) ?? [];
    list.push({ at: at.startIndex, dag });
    res.contexts.vars.set(name, list);
  };
  /** DAG(...) calls inside module-level functions: they exist only if the function is called. */
  const factories: { fact: DagFact; name: string }[] = [];
  for (const { call, fn, name } of calls) {
    if (!fn || name !== 'DAG') continue;
    budget.tick();
    const idx = res.dags.length;
    const shape = placement(call, ctx);
    const args = callArgs(call);
    const dagId = args.keywords.get('dag_id')?.value ?? args.positional[0];
    const fact = baseFact(shape.style, call, fn, args, ctx, table);
    fact.dagId = dagId ? strip(resolveString(dagId, ctx)) : missingId(args, call);
    topDefs ??= topLevelDefinitions(call.tree.rootNode);
    const factory = moduleFunctionAround(call, ctx, topDefs);
    if (factory) factories.push({ fact, name: factory });
    res.dags.push(fact);
    if (shape.body) addBlock(shape.body, idx);
    if (shape.variable) bindVar(shape.variable.text, shape.variable, idx);
  }
  const dagDefs: { def: Node; deco: Node; fnDef: Node; fnName: Node }[] = [];
  for (const def of decorated) {
    budget.tick();
    const deco = dagDecorator(def, ctx);
    const fnDef = deco && def.childForFieldName('definition');
    const fnName = fnDef?.childForFieldName('name');
    if (deco && fnDef && fnName) dagDefs.push({ def, deco, fnDef, fnName });
  }
  const wanted = new Set([...dagDefs.map((d) => d.fnName.text), ...factories.map((f) => f.name)]);
  const called = wanted.size ? moduleLevelCalls(statements, wanted, ctx) : new Map<string, { variable?: Node }[]>();
  for (const f of factories) f.fact.instantiated = called.has(f.name);
  for (const { def, deco, fnDef, fnName } of dagDefs) {
    const idx = res.dags.length;
    const callee = typeOf(deco) === 'call' ? deco.childForFieldName('function')! : deco;
    const args = typeOf(deco) === 'call' ? callArgs(deco) : emptyArgs();
    const fact = baseFact('decorator', def, callee, args, ctx, table);
    const idNode = args.keywords.get('dag_id')?.value ?? args.positional[0];
    fact.dagId = idNode ? strip(resolveString(idNode, ctx)) : { kind: 'static', value: fnName.text, range: nodeRange(fnName) };
    const uses = called.get(fnName.text) ?? [];
    fact.instantiated = uses.length > 0;
    fact.functionName = { name: fnName.text, range: nodeRange(fnName) };
    res.dags.push(fact);
    const body = fnDef.childForFieldName('body');
    if (body) addBlock(body, idx);
    for (const u of uses) if (u.variable) bindVar(u.variable.text, u.variable, idx);
  }
  return res;
}

function emptyArgs(): CallArgs {
  return { positional: [], keywords: new Map(), splats: [], list: null };
}

function missingId(args: CallArgs, call: Node): DagFact['dagId'] {
  const reason = args.splats.length ? 'dag_id may be passed through unpacked arguments (**kwargs)' : 'no dag_id given';
  return { kind: 'dynamic', range: nodeRange(args.splats[0] ?? call), reason };
}

function baseFact(style: DagFact['style'], whole: Node, callee: Node, args: CallArgs, ctx: ValueCtx, table: AssetTable): DagFact {
  const fact: DagFact = {
    dagId: { kind: 'dynamic', range: nodeRange(whole), reason: 'unset' },
    style,
    range: nodeRange(whole),
    nameRange: nodeRange(callee),
    tags: null,
    defaultArgsTags: null,
    accessControl: null,
    schedule: [],
    scheduleDynamic: [],
    producers: [],
    instantiated: true,
  };
  if (args.list) fact.argsRange = nodeRange(args.list);
  const tags = args.keywords.get('tags');
  if (tags) fact.tags = readTags(tags.value, nodeRange(tags.name), ctx);
  else fact.tags = splatTags(args);
  const da = args.keywords.get('default_args');
  if (da) {
    fact.defaultArgsTags = defaultArgsTags(da.value, ctx);
    const look = fact.defaultArgsTags ? null : lookupName(unparen(da.value), ctx);
    if (look?.kind === 'import') fact.defaultArgsImport = { ref: look.ref, range: nodeRange(da.value), keywordRange: nodeRange(da.name) };
  }
  const ac = args.keywords.get('access_control');
  if (ac) fact.accessControl = readAccessControl(ac.value, nodeRange(ac.name), ctx);
  const sched = args.keywords.get('schedule') ?? args.keywords.get('schedule_interval') ?? args.keywords.get('datasets');
  if (sched) {
    const r = readAssetRefs(sched.value, ctx, table, 'schedule');
    fact.schedule = r.refs;
    fact.scheduleDynamic = r.dynamic;
  }
  return fact;
}

/**
 * No `tags=`, but `**kwargs`: the tags may be in there, so they are unknown rather than none (a DAG
 * with no tags would be reported as reachable by no custom role).
 */
function splatTags(args: CallArgs): TagsFact | null {
  const splat = args.splats.find((s) => typeOf(s) === 'dictionary_splat');
  if (!splat) return null;
  const range = nodeRange(splat);
  return { range, keywordRange: range, items: [], dynamic: [{ range, reason: 'tags may be passed through unpacked arguments (**kwargs)' }] };
}

export function readTags(value: Node, keywordRange: Range, ctx: ValueCtx): TagsFact {
  const r = resolveStrings(value, ctx);
  // Half-typed (`tags=["ab`): one reason, not what the parser's recovery made of the rest of the line.
  const dynamic = r.dynamic.length && hasErrorIn(value) ? [{ range: nodeRange(value), reason: 'the tag list has a syntax error' }] : r.dynamic;
  const fact: TagsFact = { range: nodeRange(value), keywordRange, items: r.items, dynamic };
  const v = unparen(value);
  if (typeOf(v) === 'list' || typeOf(v) === 'tuple' || typeOf(v) === 'set') {
    const all = kids(v);
    const close = all[all.length - 1];
    if (close && !close.isNamed) fact.insertAt = pos(close.startPosition);
  }
  return fact;
}

/** `default_args={"tags": [...]}` (dict literal, `dict(tags=...)`, or a constant): Airflow ignores these tags. */
export function defaultArgsTags(value: Node, ctx: ValueCtx): TagsFact | null {
  let n = unparen(value);
  for (let i = 0; i < 16; i++) {
    const look = lookupName(n, ctx);
    if (look?.kind !== 'constant') break;
    n = unparen(look.def.value);
  }
  if (typeOf(n) === 'dictionary') {
    const source = hasErrorIn(n) ? null : sourceOf(n);
    for (const pair of namedKids(n)) {
      if (typeOf(pair) !== 'pair') continue;
      // `"owner": ...`: a plain string key other than "tags" is passed over without asking the tree.
      const plain = source === null ? null : plainStringKey(source, pair.startIndex);
      if (plain !== null && plain !== 'tags') continue;
      const k = pair.childForFieldName('key');
      const v = pair.childForFieldName('value');
      if (!k || !v) continue;
      const key = resolveString(k, ctx);
      if (key.kind === 'static' && key.value === 'tags') return readTags(v, nodeRange(k), ctx);
    }
  } else if (typeOf(n) === 'call' && n.childForFieldName('function')?.text === 'dict') {
    const kw = callArgs(n).keywords.get('tags');
    if (kw) return readTags(kw.value, nodeRange(kw.name), ctx);
  }
  return null;
}

const PLAIN_KEY = /(?:"([^"\\\n\r]*)"|'([^'\\\n\r]*)')[ \t]*:/y;

/** The value of a dict key written as a plain one-line string literal (no prefix, no escapes) at `at`, else null. */
function plainStringKey(source: string, at: number): string | null {
  PLAIN_KEY.lastIndex = at;
  const m = PLAIN_KEY.exec(source);
  return m ? (m[1] ?? m[2]!) : null;
}

interface Placement {
  style: DagFact['style'];
  body?: Node;
  variable?: Node;
}

function placement(call: Node, ctx: ValueCtx): Placement {
  const w = ctx.places.withItemOf(call);
  if (w) return { style: 'with', ...w };
  const a = ctx.places.assignedTo(call);
  if (a) return a.left && typeOf(a.left) === 'identifier' ? { style: 'assign', variable: a.left } : { style: 'assign' };
  return { style: 'call' };
}

/** The `@dag` / `@dag(...)` decorator expression on a definition, if its name comes from Airflow. */
function dagDecorator(def: Node, ctx: ValueCtx): Node | null {
  for (const d of namedKids(def)) {
    if (typeOf(d) !== 'decorator') continue;
    const expr = namedKids(d)[0];
    if (!expr) continue;
    const callee = typeOf(expr) === 'call' ? expr.childForFieldName('function') : expr;
    if (callee && ctx.scope.airflowName(callee) === 'dag') return expr;
  }
  return null;
}

/** Calls of `names` made while the module is imported (so a decorated DAG function is instantiated). */
export function moduleLevelCalls(statements: Node[], names: Set<string>, ctx: ValueCtx): Map<string, { variable?: Node }[]> {
  const out = new Map<string, { variable?: Node }[]>();
  for (const st of statements) {
    if (typeOf(st) !== 'expression_statement') continue;
    const text = st.text;
    if (![...names].some((n) => text.includes(n))) continue;
    for (const call of st.descendantsOfType('call')) {
      ctx.scope.budget.tick();
      const fn = call?.childForFieldName('function');
      if (!call || !fn || typeOf(fn) !== 'identifier' || !names.has(fn.text) || insideLambda(call, st, ctx)) continue;
      const left = ctx.places.assignedTo(call)?.left;
      const list = out.get(fn.text) ?? [];
      list.push(left && typeOf(left) === 'identifier' ? { variable: left } : {});
      out.set(fn.text, list);
    }
  }
  return out;
}

/** Ids of the module's top-level function definitions (plain or decorated). */
function topLevelDefinitions(root: Node): Set<number> {
  const out = new Set<number>();
  for (const st of namedKids(root)) {
    const def = typeOf(st) === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (def && typeOf(def) === 'function_definition') out.add(def.id);
  }
  return out;
}

/**
 * Name of the module-level function (plain or decorated) whose body contains `n`, else null (class
 * bodies included): the outermost enclosing function, unless a class encloses it. One pass over the
 * precomputed scope ranges, no ancestor walk.
 */
function moduleFunctionAround(n: Node, ctx: ValueCtx, topDefs: Set<number>): string | null {
  let fn: Node | null = null;
  for (const p of ctx.scope.enclosingScopes(n)) {
    ctx.scope.budget.tick();
    if (typeOf(p) === 'function_definition') fn = p;
    else if (typeOf(p) === 'class_definition') fn = null;
  }
  return fn && topDefs.has(fn.id) ? (fn.childForFieldName('name')?.text ?? null) : null;
}

/** `n` is inside a lambda within statement `stop`. */
function insideLambda(n: Node, stop: Node, ctx: ValueCtx): boolean {
  for (const p of ctx.scope.enclosingScopes(n)) {
    if (p.startIndex < stop.startIndex) return false;
    if (typeOf(p) === 'lambda') return true;
  }
  return false;
}
