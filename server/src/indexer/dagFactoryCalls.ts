/**
 * dag-factory builds DAGs from YAML while the file is imported, which the static index cannot read:
 * each module-level call that registers such DAGs becomes one DAG fact whose dag_id is dynamic, the
 * reason naming the call and its YAML. Semantics from astronomer/dag-factory `dagfactory/dagfactory.py`:
 * - `DagFactory(config_filepath=None, config=None, ...)` reads a YAML file (or a dict); its
 *   `generate_dags(globals)` puts the DAGs it builds into `globals` (older versions: `clean_dags`
 *   only removes stale ones, it registers nothing).
 * - `load_yaml_dags(globals_dict, dags_folder=<[core] dags_folder>, config_filepath=None,
 *   defaults_config_path=..., config_dict=None, ...)` (0.20+) registers the DAGs of one YAML file, of a
 *   dict, or of every `.yaml` / `.yml` file under `dags_folder`.
 * Any top-level key of the YAML other than `default` is a dag_id: the DAGs are only known once the
 * YAML is read at run time, so the editor reports them dynamic (ADA013) rather than guessing.
 */
import type { Node } from 'web-tree-sitter';
import type { DagFact } from '../model/facts';
import { blankDagFact } from './blankDagFact';
import type { ImportBinding } from './extractImports';
import { resolveString, type ValueCtx } from './extractValues';
import { callArgs, dottedParts, excerpt, namedKids, nodeRange, typeOf, unparen } from './syntax';

const MODULE = 'dagfactory';

/** The local names that stand for dag-factory's `DagFactory` and `load_yaml_dags`, as dotted paths. */
interface Names {
  factory: Set<string>;
  load: Set<string>;
}

/** Whether an import reads from dag-factory (whose `DagFactory` is not a DAG subclass, whatever its name). */
export function isDagFactoryModule(module: string): boolean {
  return module === MODULE || module.startsWith(`${MODULE}.`);
}

function namesOf(bindings: ImportBinding[]): Names {
  const names: Names = { factory: new Set(), load: new Set() };
  for (const b of bindings) {
    if (!isDagFactoryModule(b.module)) continue;
    if (b.symbol === 'DagFactory') names.factory.add(b.local);
    else if (b.symbol === 'load_yaml_dags') names.load.add(b.local);
    else if (b.symbol === null && b.module === MODULE) {
      // `import dagfactory` / `import dagfactory as df`: `df.DagFactory`, `df.load_yaml_dags`.
      names.factory.add(`${b.local}.DagFactory`);
      names.load.add(`${b.local}.load_yaml_dags`);
    }
  }
  return names;
}

/** Whether the file can call dag-factory at all (cheap text test before walking statements). */
export function mayUseDagFactory(bindings: ImportBinding[], text: string): boolean {
  return text.includes(MODULE) && bindings.some((b) => isDagFactoryModule(b.module));
}

/** The call a statement makes: `f(...)` as a statement, or `x = f(...)`. */
function statementCall(st: Node): { call: Node; target: string | null } | null {
  if (typeOf(st) !== 'expression_statement') return null;
  const expr = namedKids(st)[0];
  if (!expr) return null;
  if (typeOf(expr) === 'call') return { call: expr, target: null };
  if (typeOf(expr) !== 'assignment') return null;
  const left = expr.childForFieldName('left');
  const right = expr.childForFieldName('right');
  if (!right || typeOf(unparen(right)) !== 'call') return null;
  return { call: unparen(right), target: left && typeOf(left) === 'identifier' ? left.text : null };
}

function calleeName(call: Node): string | null {
  const fn = call.childForFieldName('function');
  return fn ? dottedParts(fn)?.join('.') ?? null : null;
}

/** How a path (or dict) argument reads in a message: its value when static, else the expression. */
function described(node: Node, ctx: ValueCtx): string {
  const r = resolveString(node, ctx);
  return r.kind === 'static' ? `'${r.value}'` : `\`${excerpt(node, 60)}\` (computed at run time)`;
}

/** Where `DagFactory(...)` reads its config from. */
function factorySource(ctor: Node, ctx: ValueCtx): string {
  const args = callArgs(ctor);
  const path = args.keywords.get('config_filepath')?.value ?? args.positional[0];
  if (path) return `the YAML file ${described(path, ctx)}`;
  if (args.keywords.has('config')) return 'a config dict';
  return 'its config';
}

/** Where `load_yaml_dags(...)` reads its configs from. */
function loadSource(call: Node, ctx: ValueCtx): string {
  const args = callArgs(call);
  const file = args.keywords.get('config_filepath')?.value;
  if (file) return `the YAML file ${described(file, ctx)}`;
  if (args.keywords.has('config_dict')) return 'a config dict';
  const folder = args.keywords.get('dags_folder')?.value ?? args.positional[1];
  if (folder) return `every .yaml / .yml file under ${described(folder, ctx)}`;
  return "every .yaml / .yml file under Airflow's dags_folder";
}

function dynamicDag(call: Node, reason: string): DagFact {
  const callee = call.childForFieldName('function') ?? call;
  const args = call.childForFieldName('arguments');
  const fact = blankDagFact('call', call, callee, reason, callee);
  if (args) fact.argsRange = nodeRange(args);
  return fact;
}

/**
 * One dynamic DAG fact per module-level `load_yaml_dags(...)` and `<DagFactory>.generate_dags(...)`
 * (the factory made in the same call or assigned to a module-level name before).
 */
export function dagFactoryDags(statements: Node[], bindings: ImportBinding[], ctx: ValueCtx): DagFact[] {
  const names = namesOf(bindings);
  if (!names.factory.size && !names.load.size) return [];
  const factories = new Map<string, Node>();
  const out: DagFact[] = [];
  for (const st of statements) {
    ctx.scope.budget.tick();
    const found = statementCall(st);
    if (!found) continue;
    const { call, target } = found;
    const name = calleeName(call);
    if (name !== null && names.factory.has(name)) {
      if (target) factories.set(target, call);
      continue;
    }
    if (name !== null && names.load.has(name)) {
      out.push(dynamicDag(call, `dag-factory's ${name}(...) builds DAGs from ${loadSource(call, ctx)} when the file runs`));
      continue;
    }
    // `<factory>.generate_dags(...)`, the factory a name bound above or a DagFactory(...) call in place.
    const fn = call.childForFieldName('function');
    if (!fn || typeOf(fn) !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'generate_dags') continue;
    const obj = unparen(fn.childForFieldName('object')!);
    const ctor = typeOf(obj) === 'identifier' ? factories.get(obj.text) : typeOf(obj) === 'call' && names.factory.has(calleeName(obj) ?? '') ? obj : undefined;
    if (!ctor) continue;
    const what = typeOf(obj) === 'identifier' ? `${obj.text}.generate_dags` : `${calleeName(obj)}(...).generate_dags`;
    out.push(dynamicDag(call, `dag-factory's ${what}(...) builds DAGs from ${factorySource(ctor, ctx)} when the file runs`));
  }
  return out;
}
