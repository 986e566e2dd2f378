/**
 * DAG definitions: `with DAG(...) as dag:`, `dag = DAG(...)`, bare `DAG(...)` calls and the `@dag`
 * decorator, each only when the callee comes from an Airflow import. Reads dag_id, tags, default_args
 * tags, access_control and schedule; producers (outlets) are attached by extractProducers.
 */
import type { Node } from 'web-tree-sitter';
import type { DagFact, ImportRef, Range, TagsFact } from '../model/facts';
import { blankDagFact } from './blankDagFact';
import { mayBeDagClassName } from './dagClasses';
import type { FactoryTemplate } from './factoryTemplate';
import { readAccessControl } from './extractAccessControl';
import { readAssetRefs, strip, type AssetTable } from './extractAssets';
import type { Span } from './rangeForest';
import { lookupName, resolveString, resolveStrings, type ValueCtx } from './extractValues';
import { hasErrorIn, sourceOf } from './nodeMemo';
import { withKnownSplats, type SplatReasons } from './splatArgs';
import { callArgs, type CallArgs, type CallSite, excerpt, kids, namedKids, nodeRange, pos, typeOf, unparen } from './syntax';

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
  /** DAGs built by module-level factory functions, to be rebuilt once per call (`expandFactories`). */
  factories: FactoryTemplate[];
}

/** A call made while the module is imported, and the plain name its result is assigned to. */
interface ModuleCall {
  call: Node;
  variable?: Node;
}

/** `statements`: the module's import-time statements (`moduleStatements`). */
export function extractDags(statements: Node[], calls: CallSite[], decorated: Node[], ctx: ValueCtx, table: AssetTable): DagsResult {
  const res: DagsResult = { dags: [], contexts: { blocks: new Map(), blockSpans: [], vars: new Map() }, factories: [] };
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
  /** DAGs built inside module-level functions: they exist only if the function is called. */
  const factories: { index: number; fn: Node; build: FactoryTemplate['build'] }[] = [];
  for (const { call, fn, name } of calls) {
    const classRef = !fn || name !== null ? undefined : importedClass(fn, ctx);
    if (!fn || (name !== 'DAG' && !classRef)) continue;
    budget.tick();
    const idx = res.dags.length;
    const shape = placement(call, ctx);
    const build = (c: ValueCtx): { fact: DagFact; idLiteral?: Range } => {
      const args = withKnownSplats(callArgs(call), c);
      const dagId = args.keywords.get('dag_id')?.value ?? args.positional[0];
      const fact = baseFact(shape.style, call, fn, args, c, table);
      const id = dagId ? resolveString(dagId, c) : null;
      fact.dagId = id ? strip(id) : missingId(args, call);
      if (classRef) fact.dagClass = classRef;
      const local = typeOf(fn) === 'identifier' ? ctx.scope.dagClasses.get(fn.text) : undefined;
      if (local?.ownInit) withOwnInit(fact, fn.text);
      return id?.literal && !local?.ownInit ? { fact, idLiteral: id.literal } : { fact };
    };
    const { fact } = build(ctx);
    topDefs ??= topLevelDefinitions(call.tree.rootNode);
    const factory = moduleFunctionAround(call, ctx, topDefs);
    if (factory) factories.push({ index: idx, fn: factory, build });
    res.dags.push(fact);
    if (shape.body) addBlock(shape.body, idx);
    if (shape.variable) bindVar(shape.variable.text, shape.variable, idx);
  }
  const dagDefs: { def: Node; deco: Node; fnDef: Node; fnName: Node; factory?: Node | null }[] = [];
  for (const def of decorated) {
    budget.tick();
    const deco = dagDecorator(def, ctx);
    const fnDef = deco && def.childForFieldName('definition');
    const fnName = fnDef?.childForFieldName('name');
    if (!deco || !fnDef || !fnName) continue;
    const enclosing = enclosingFunction(def, ctx);
    if (!enclosing) {
      dagDefs.push({ def, deco, fnDef, fnName });
      continue;
    }
    // Defined inside a function: the DAG exists when that function calls it and is itself called.
    topDefs ??= topLevelDefinitions(def.tree.rootNode);
    const calledInside = callsIn(enclosing, fnName.text, ctx);
    dagDefs.push({ def, deco, fnDef, fnName, factory: calledInside ? moduleFunctionAround(def, ctx, topDefs) : null });
  }
  const wanted = new Set<string>();
  for (const d of dagDefs) {
    const name = d.factory === undefined ? d.fnName.text : nameOf(d.factory);
    if (name) wanted.add(name);
  }
  for (const f of factories) wanted.add(nameOf(f.fn)!);
  const called = wanted.size ? moduleLevelCalls(statements, wanted, ctx) : new Map<string, ModuleCall[]>();
  const template = (index: number, fn: Node, build: FactoryTemplate['build'], fact: DagFact): void => {
    const name = nameOf(fn)!;
    const uses = called.get(name) ?? [];
    fact.instantiated = uses.length > 0;
    if (!uses.length) fact.factory = { name, range: nodeRange(fn.childForFieldName('name') ?? fn) };
    res.factories.push({ index, factory: fn, calls: uses.map((u) => u.call), build });
  };
  for (const f of factories) template(f.index, f.fn, f.build, res.dags[f.index]!);
  for (const { def, deco, fnDef, fnName, factory } of dagDefs) {
    const idx = res.dags.length;
    const build = (c: ValueCtx): { fact: DagFact; idLiteral?: Range } => {
      const callee = typeOf(deco) === 'call' ? deco.childForFieldName('function')! : deco;
      const args = typeOf(deco) === 'call' ? withKnownSplats(callArgs(deco), c) : emptyArgs();
      const fact = baseFact('decorator', def, callee, args, c, table);
      const idNode = args.keywords.get('dag_id')?.value ?? args.positional[0];
      const id = idNode ? resolveString(idNode, c) : null;
      fact.dagId = id ? strip(id) : { kind: 'static', value: fnName.text, range: nodeRange(fnName) };
      fact.functionName = { name: fnName.text, range: nodeRange(fnName) };
      return id?.literal ? { fact, idLiteral: id.literal } : { fact };
    };
    const { fact } = build(ctx);
    res.dags.push(fact);
    const body = fnDef.childForFieldName('body');
    if (body) addBlock(body, idx);
    if (factory) template(idx, factory, build, fact);
    else if (factory === null) fact.instantiated = false;
    else {
      const uses = called.get(fnName.text) ?? [];
      fact.instantiated = uses.length > 0;
      for (const u of uses) if (u.variable) bindVar(u.variable.text, u.variable, idx);
    }
  }
  return res;
}

function nameOf(fn: Node | null): string | null {
  return fn?.childForFieldName('name')?.text ?? null;
}

/** The innermost function whose body holds `n` (classes and lambdas stop the search), else null. */
function enclosingFunction(n: Node, ctx: ValueCtx): Node | null {
  for (const p of ctx.scope.enclosingScopes(n)) {
    ctx.scope.budget.tick();
    if (typeOf(p) === 'function_definition') return p;
    return null;
  }
  return null;
}

/** `fn`'s own body calls `name(...)` (not inside a function, class or lambda nested in it). */
function callsIn(fn: Node, name: string, ctx: ValueCtx): boolean {
  const body = fn.childForFieldName('body');
  if (!body || !body.text.includes(name)) return false;
  for (const call of body.descendantsOfType('call')) {
    ctx.scope.budget.tick();
    const callee = call?.childForFieldName('function');
    if (!call || !callee || typeOf(callee) !== 'identifier' || callee.text !== name) continue;
    if (enclosingFunction(call, ctx)?.id === fn.id) return true;
  }
  return false;
}

/** `TeamDag(...)` where `TeamDag` is imported from a module outside Airflow and may be a DAG subclass there. */
function importedClass(fn: Node, ctx: ValueCtx): ImportRef | undefined {
  if (typeOf(fn) !== 'identifier' || !mayBeDagClassName(fn.text)) return undefined;
  const b = ctx.scope.importAt(fn.text, fn);
  return b && b.symbol !== null && b.module !== 'airflow' && !b.module.startsWith('airflow.') ? { module: b.module, symbol: b.symbol } : undefined;
}

/**
 * A DAG subclass with its own `__init__` / `__new__` may rename, add or drop arguments before they reach
 * DAG: the dag_id and tags written at the call are not taken as the DAG's.
 */
export function withOwnInit(fact: DagFact, className: string): void {
  const reason = `\`${className}\` defines its own __init__ (or __new__): what it passes on to DAG is only known when it runs`;
  fact.dagId = { kind: 'dynamic', range: fact.dagId.range, reason };
  const range = fact.tags?.range ?? fact.nameRange;
  fact.tags = { range, keywordRange: fact.tags?.keywordRange ?? range, items: [], dynamic: [{ range, reason }] };
}

function emptyArgs(): CallArgs {
  return { positional: [], keywords: new Map(), splats: [], list: null };
}

function missingId(args: CallArgs & { splatReasons?: SplatReasons }, call: Node): DagFact['dagId'] {
  const splat = args.splats[0];
  const why = splat && args.splatReasons?.get(splat.id);
  const reason = !splat ? 'no dag_id given' : why ? `dag_id may be passed through \`${excerpt(splat)}\`, which is not known before the file runs (${why})` : 'dag_id may be passed through unpacked arguments (**kwargs)';
  return { kind: 'dynamic', range: nodeRange(splat ?? call), reason };
}

export function baseFact(style: DagFact['style'], whole: Node, callee: Node, args: CallArgs, ctx: ValueCtx, table: AssetTable): DagFact {
  const fact = blankDagFact(style, whole, callee, 'unset');
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
function splatTags(args: CallArgs & { splatReasons?: SplatReasons }): TagsFact | null {
  const splat = args.splats.find((s) => typeOf(s) === 'dictionary_splat');
  if (!splat) return null;
  const range = nodeRange(splat);
  const why = args.splatReasons?.get(splat.id);
  const reason = why ? `tags may be passed through \`${excerpt(splat)}\`, which is not known before the file runs (${why})` : 'tags may be passed through unpacked arguments (**kwargs)';
  return { range, keywordRange: range, items: [], dynamic: [{ range, reason }] };
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
export function moduleLevelCalls(statements: Node[], names: Set<string>, ctx: ValueCtx): Map<string, ModuleCall[]> {
  const out = new Map<string, ModuleCall[]>();
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
      list.push(left && typeOf(left) === 'identifier' ? { call, variable: left } : { call });
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
function moduleFunctionAround(n: Node, ctx: ValueCtx, topDefs: Set<number>): Node | null {
  let fn: Node | null = null;
  for (const p of ctx.scope.enclosingScopes(n)) {
    ctx.scope.budget.tick();
    if (typeOf(p) === 'function_definition') fn = p;
    else if (typeOf(p) === 'class_definition') fn = null;
  }
  return fn && topDefs.has(fn.id) ? fn : null;
}

/** `n` is inside a lambda within statement `stop`. */
function insideLambda(n: Node, stop: Node, ctx: ValueCtx): boolean {
  for (const p of ctx.scope.enclosingScopes(n)) {
    if (p.startIndex < stop.startIndex) return false;
    if (typeOf(p) === 'lambda') return true;
  }
  return false;
}
