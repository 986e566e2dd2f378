/**
 * Factories: a module-level function that builds a DAG (`DAG(...)` in its body, or a `@dag` function it
 * defines and calls) makes one DAG per call made while the module is imported. Each call is evaluated
 * on its own: the factory's parameters are bound to the call's arguments (or their defaults), so
 * `make_dag("sales", tags=["sales"])` gives the DAG `sales` with that tag. A parameter the call does
 * not bind plainly (passed through `*args` / `**kwargs`, or reassigned in the body) stays a local
 * variable, reported dynamic with that reason.
 */
import type { Node } from 'web-tree-sitter';
import type { ArgumentValue, DagFact, ExportedValue, FactoryCallFact, Range } from '../model/facts';
import type { AssetTable } from './extractAssets';
import type { FactoryTemplate } from './factoryTemplate';
import { moduleLevelCalls } from './extractDags';
import { exportValue } from './extractExports';
import type { ImportBinding } from './extractImports';
import { resolveString, type ValueCtx } from './extractValues';
import { callArgs, excerpt, namedKids, nodeRange, typeOf, unparen } from './syntax';

/** One DAG-building site inside a factory, rebuilt for each call. */
export type { FactoryTemplate } from './factoryTemplate';

interface Param {
  name: string;
  kind: 'plain' | 'keyword-only' | 'star' | 'double-star';
  default?: Node;
}

function parameters(fn: Node): Param[] {
  const out: Param[] = [];
  const list = fn.childForFieldName('parameters');
  let keywordOnly = false;
  for (const p of list ? namedKids(list) : []) {
    const t = typeOf(p);
    if (t === 'identifier') out.push({ name: p.text, kind: keywordOnly ? 'keyword-only' : 'plain' });
    else if (t === 'typed_parameter') {
      const id = namedKids(p)[0];
      if (id && typeOf(id) === 'identifier') out.push({ name: id.text, kind: keywordOnly ? 'keyword-only' : 'plain' });
      else if (id && typeOf(id) === 'list_splat_pattern') (out.push({ name: namedKids(id)[0]?.text ?? '', kind: 'star' }), (keywordOnly = true));
      else if (id && typeOf(id) === 'dictionary_splat_pattern') out.push({ name: namedKids(id)[0]?.text ?? '', kind: 'double-star' });
    } else if (t === 'default_parameter' || t === 'typed_default_parameter') {
      const name = p.childForFieldName('name');
      const value = p.childForFieldName('value');
      if (name) out.push(value ? { name: name.text, kind: keywordOnly ? 'keyword-only' : 'plain', default: value } : { name: name.text, kind: 'plain' });
    } else if (t === 'list_splat_pattern') {
      out.push({ name: namedKids(p)[0]?.text ?? '', kind: 'star' });
      keywordOnly = true;
    } else if (t === 'keyword_separator') keywordOnly = true;
    else if (t === 'dictionary_splat_pattern') out.push({ name: namedKids(p)[0]?.text ?? '', kind: 'double-star' });
  }
  return out;
}

/**
 * `fn`'s parameters bound to `call`'s arguments, as Python binds them; an argument list with `*` / `**`
 * unpacking binds nothing (which parameter gets what is only known at run time).
 */
export function bindParameters(fn: Node, call: Node, ctx: ValueCtx): NonNullable<ValueCtx['params']> {
  const values = new Map<string, Node>();
  const args = callArgs(call);
  if (args.splats.length) return { fnId: fn.id, values };
  const reassigned = ctx.scope.bodyBindings(fn);
  const params = parameters(fn);
  let i = 0;
  for (const p of params) {
    if (p.kind === 'star' || p.kind === 'double-star') {
      if (p.kind === 'star') i = args.positional.length;
      continue;
    }
    const given = p.kind === 'plain' && i < args.positional.length ? args.positional[i++] : args.keywords.get(p.name)?.value;
    const value = given ?? p.default;
    if (value && !reassigned.has(p.name)) values.set(p.name, value);
  }
  return { fnId: fn.id, values };
}

/**
 * The DAG facts of a file once each factory template is replaced by one fact per module-level call
 * (a template whose factory is never called stays, not instantiated). An expanded DAG points at its
 * call: its code lens and dag_id range are where the call is, or where its literal dag_id is written.
 */
export function expandFactories(dags: DagFact[], templates: FactoryTemplate[], ctx: ValueCtx): DagFact[] {
  if (!templates.some((t) => t.calls.length)) return dags;
  const byIndex = new Map(templates.map((t) => [t.index, t]));
  const out: DagFact[] = [];
  dags.forEach((dag, i) => {
    const t = byIndex.get(i);
    if (!t || !t.calls.length) return void out.push(dag);
    for (const call of t.calls) {
      ctx.scope.budget.tick();
      const { fact, idLiteral } = t.build({ ...ctx, params: bindParameters(t.factory, call, ctx) });
      const callee = call.childForFieldName('function') ?? call;
      fact.range = nodeRange(call);
      fact.nameRange = nodeRange(callee);
      delete fact.argsRange;
      fact.instantiated = true;
      fact.producers = dag.producers;
      fact.factoryCall = { name: callee.text, range: nodeRange(call) };
      const id = fact.dagId;
      // The dag_id's range: its literal when the call wrote it, else the call (the factory's own text is shared by every call).
      // (A dag_id written whole in the factory keeps its place: every call gives that same id.)
      if (id.kind === 'static') id.range = !id.via ? id.range : idLiteral && within(idLiteral, nodeRange(call)) ? idLiteral : nodeRange(call);
      else if (!id.pending) id.range = nodeRange(call);
      out.push(fact);
    }
  });
  return out;
}

/** `r` lies inside `outer` (a value that came from one of the call's arguments). */
function within(r: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, r.start) && le(r.end, outer.end);
}

/**
 * The factories of this module as other modules see them: for each module-level function with DAG
 * templates, its parameters, the values of their defaults, and its DAGs read with every parameter
 * left pending (filled in by each caller's arguments, see crossFile).
 */
export function factoryExports(templates: FactoryTemplate[], dags: DagFact[], ctx: ValueCtx, table: AssetTable): Record<string, ExportedValue> {
  const out: Record<string, ExportedValue> = {};
  for (const t of templates) {
    const nameNode = t.factory.childForFieldName('name');
    if (!nameNode || ctx.scope.timesBound(nameNode.text) !== 1) continue;
    ctx.scope.budget.tick();
    const name = nameNode.text;
    let entry = out[name];
    if (!entry) {
      const params = parameters(t.factory);
      const defaults: Record<string, ArgumentValue> = {};
      for (const p of params) if (p.default) defaults[p.name] = argumentValue(p.default, ctx, table);
      entry = out[name] = { kind: 'factory', range: nodeRange(nameNode), params: params.map(({ name: n, kind }) => ({ name: n, kind })), defaults, dags: [] };
    }
    if (entry.kind !== 'factory') continue;
    ctx.scope.bodyBindings(t.factory);
    const { fact } = t.build({ ...ctx, params: { fnId: t.factory.id, values: new Map(), symbolic: true } });
    fact.producers = dags[t.index]?.producers ?? [];
    delete fact.factory;
    entry.dags.push(fact);
  }
  return out;
}

/** A call's argument as another file sees it. */
function argumentValue(n: Node, ctx: ValueCtx, table: AssetTable): ArgumentValue {
  if (typeOf(unparen(n)) === 'none') {
    const range = nodeRange(n);
    return { value: { kind: 'access_control', range, fact: { range, keywordRange: range, kind: 'none', roles: [], dynamic: [] } } };
  }
  const v = exportValue(n, n, ctx, table);
  if (v) return { value: v };
  const s = resolveString(n, ctx);
  return { reason: s.kind === 'dynamic' ? s.reason : `\`${excerpt(n)}\` is not a value known before the file runs` };
}

/**
 * Module-level calls of functions imported from outside Airflow whose result is the statement
 * (`make_dag("x")`, `x = make_dag("x")`, `globals()[k] = make_dag(k)`): each may build DAGs in the
 * module that defines the function; the workspace index decides.
 */
export function importedFactoryCalls(statements: Node[], bindings: ImportBinding[], text: string, ctx: ValueCtx, table: AssetTable): FactoryCallFact[] {
  const names = new Set<string>();
  for (const b of bindings) if (b.symbol !== null && !isAirflow(b.module) && /^[a-z_]/.test(b.local)) names.add(b.local);
  // Only a call that starts its statement, or the value of an assignment, is asked about: the text
  // says first whether there is one (`retry_delay=timedelta(...)` inside a dict is not).
  if (!names.size || !hasStatementCall(text, names)) return [];
  const out: FactoryCallFact[] = [];
  for (const [, uses] of moduleLevelCalls(statements, names, ctx)) {
    for (const { call } of uses) {
      const parent = call.parent;
      const whole = parent && (typeOf(parent) === 'expression_statement' || (typeOf(parent) === 'assignment' && parent.childForFieldName('right')?.id === call.id));
      const fn = call.childForFieldName('function');
      const b = fn && ctx.scope.importAt(fn.text, fn);
      if (!whole || !fn || !b || b.symbol === null) continue;
      const args = callArgs(call);
      const keywords: Record<string, ArgumentValue> = {};
      for (const [k, v] of args.keywords) keywords[k] = argumentValue(v.value, ctx, table);
      const fact: FactoryCallFact = { ref: { module: b.module, symbol: b.symbol }, range: nodeRange(call), calleeRange: nodeRange(fn), positional: args.positional.map((a) => argumentValue(a, ctx, table)), keywords };
      if (args.splats.length) fact.unpacked = true;
      out.push(fact);
    }
  }
  return out;
}

const namePatterns = new Map<string, RegExp>();
/** What may stand before a statement-level call on its line: indentation, or an assignment target and `=`. */
const CALL_PREFIX = /^[ \t]*(?:[^=\n#]*[^=!<>\n#]=[ \t]*)?$/;

/** Whether a line of `text` is `name(...`, or `target = name(...`, for one of `names`. */
function hasStatementCall(text: string, names: Set<string>): boolean {
  const key = [...names].sort().join('|');
  let re = namePatterns.get(key);
  if (!re) {
    if (namePatterns.size > 256) namePatterns.clear();
    re = new RegExp(`(?<![\\w.])(?:${key})[ \\t]*\\(`, 'g');
    namePatterns.set(key, re);
  }
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
    if (CALL_PREFIX.test(text.slice(lineStart, m.index))) return true;
  }
  return false;
}

function isAirflow(module: string): boolean {
  return module === 'airflow' || module.startsWith('airflow.');
}
