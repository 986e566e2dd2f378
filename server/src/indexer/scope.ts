/**
 * Name binding: which module-level names are constants (bound exactly once, by a plain top-level
 * assignment), which come from imports, and which are local to a function or loop (never resolved).
 */
import type { Node } from 'web-tree-sitter';
import { Budget, MAX_NESTING, UNLIMITED } from './budget';
import type { ImportBinding } from './extractImports';
import { RangeForest, type Span } from './rangeForest';
import { NO_BINDING, simpleAssignmentName } from './simpleAssignment';
import { KeywordScopes, SCOPE_TYPES } from './scopeKeywords';
import { hasErrorIn } from './nodeMemo';
import { dottedParts, moduleStatements, namedKids, typeOf } from './syntax';

export { SCOPE_TYPES } from './scopeKeywords';

/** A DAG subclass defined in the module; `ownInit`: it defines `__init__` / `__new__`, so its arguments may not reach DAG as written. */
export interface DagClass {
  node: Node;
  ownInit: boolean;
}

export interface ConstantDef {
  name: string;
  nameNode: Node;
  value: Node;
}

/**
 * Classes of other libraries that subclass Airflow's DAG and hand their arguments to `DAG.__init__`
 * unchanged, so `dag_id`, `tags` and `access_control` mean what they mean for DAG. Each checked from
 * its source: astronomer-cosmos `cosmos/airflow/dag.py`, `class DbtDag(DAG, DbtToAirflowConverter)`,
 * whose `__init__` calls `DAG.__init__(self, *args, **airflow_kwargs(**kwargs))` (exported by
 * `cosmos/__init__.py`; before 1.0 from `cosmos.providers.dbt`, with the same `DAG.__init__` call).
 */
const LIBRARY_DAG_CLASSES: { module: string; symbol: string }[] = [{ module: 'cosmos', symbol: 'DbtDag' }];

function isLibraryDagClass(module: string, symbol: string): boolean {
  return LIBRARY_DAG_CLASSES.some((c) => c.symbol === symbol && (module === c.module || module.startsWith(`${c.module}.`)));
}

/** Modules Airflow ships; a callee counts as Airflow's only if its name comes from one of them. */
function isAirflowModule(mod: string): boolean {
  return mod === 'airflow' || mod.startsWith('airflow.');
}

export class ModuleScope {
  private readonly bindCount = new Map<string, number>();
  /** Every module-level binding of a name bound more than once is looked up by line: `row`, and the import when it is one. */
  private readonly bindRows = new Map<string, { row: number; top: boolean; imp?: ImportBinding }[]>();
  private readonly constants = new Map<string, ConstantDef>();
  private readonly imports = new Map<string, ImportBinding>();
  private readonly localBindings = new Map<number, Set<string>>();
  readonly loopVars = new Set<string>();
  /** Module-level classes whose base is Airflow's DAG (found by `findDagClasses`): calling one builds a DAG. */
  readonly dagClasses = new Map<string, DagClass>();
  private scopeForest?: RangeForest<Node>;
  /** Scopes found from the text around a node (a tree without errors only). */
  private readonly textScopes: KeywordScopes | null;

  private readonly scopeNodes: () => Iterable<Node | null>;
  /** The source, when `name = value` statements may be read from it (never for a tree with errors). */
  private readonly text: string | null;

  /**
   * `opts.scopes`: the tree's SCOPE_TYPES nodes, found only when a question about enclosing scopes is
   * first asked (default: a walk of the whole tree). `opts.text`: the source the tree was parsed from.
   */
  constructor(
    root: Node,
    bindings: ImportBinding[],
    statements: Iterable<Node> = moduleStatements(root),
    readonly budget: Budget = UNLIMITED,
    opts: { scopes?: () => Iterable<Node | null>; text?: string } = {},
  ) {
    this.scopeNodes = opts.scopes ?? (() => root.descendantsOfType(SCOPE_TYPES));
    this.text = opts.text !== undefined && !hasErrorIn(root) ? opts.text : null;
    this.textScopes = this.text === null ? null : new KeywordScopes(root, this.text, budget);
    for (const b of bindings) {
      this.imports.set(b.local, b);
      this.bump(b.local, b.range.start.line, true, b);
    }
    const topLevel = new Set(namedKids(root).map((n) => n.id));
    for (const st of statements) {
      budget.tick();
      this.collect(st, topLevel.has(st.id));
    }
  }

  private bump(name: string, row = this.row, top = this.top, imp?: ImportBinding): void {
    this.bindCount.set(name, (this.bindCount.get(name) ?? 0) + 1);
    let rows = this.bindRows.get(name);
    if (!rows) this.bindRows.set(name, (rows = []));
    rows.push(imp ? { row, top, imp } : { row, top });
  }

  /** Line of the statement being collected, and whether it runs unconditionally (a top-level statement). */
  private row = 0;
  private top = true;

  private collect(st: Node, topLevel: boolean): void {
    this.row = st.startPosition.row;
    this.top = topLevel;
    switch (typeOf(st)) {
      case 'expression_statement': {
        const simple = this.text === null ? null : simpleAssignmentName(this.text, st.startIndex);
        if (simple === NO_BINDING) break;
        if (simple !== null) {
          this.bump(simple);
          if (topLevel) this.constants.set(simple, new StatementConstant(simple, st));
          break;
        }
        for (const e of namedKids(st)) if (typeOf(e) === 'assignment' || typeOf(e) === 'augmented_assignment') this.assignment(e, topLevel);
        break;
      }
      case 'function_definition':
      case 'class_definition': {
        const n = st.childForFieldName('name');
        if (n) this.bump(n.text);
        break;
      }
      case 'decorated_definition': {
        const def = st.childForFieldName('definition');
        const n = def?.childForFieldName('name');
        if (n) this.bump(n.text);
        break;
      }
      case 'for_statement': {
        const left = st.childForFieldName('left');
        if (left) for (const n of targetNames(left)) (this.bump(n), this.loopVars.add(n));
        break;
      }
      case 'with_statement': {
        const clause = namedKids(st).find((c) => typeOf(c) === 'with_clause');
        // Without syntax errors an `as` target can only be an item's alias: no search of the items' calls.
        const targets = !clause ? [] : this.text !== null ? withItemTargets(clause) : clause.descendantsOfType('as_pattern_target');
        for (const t of targets) if (t) for (const n of targetNames(t)) this.bump(n);
        break;
      }
    }
  }

  /** `a = b = value` (any length, walked once): every target is bound; plain names at top level become constants. */
  private assignment(a: Node, topLevel: boolean): void {
    const targets: Node[] = [];
    let cur: Node | null = a;
    while (cur && typeOf(cur) === 'assignment') {
      this.budget.tick();
      const left = cur.childForFieldName('left');
      if (left) targets.push(left);
      cur = cur.childForFieldName('right');
    }
    if (typeOf(a) === 'augmented_assignment') {
      const left = a.childForFieldName('left');
      const names = left ? targetNames(left) : [];
      for (const n of names) this.bump(n);
      return this.bump(names[0] ?? '');
    }
    for (const left of targets) {
      for (const n of targetNames(left)) this.bump(n);
      if (topLevel && typeOf(left) === 'identifier' && cur) this.constants.set(left.text, { name: left.text, nameNode: left, value: cur });
    }
  }

  /** A constant only when its name is bound exactly once in the module. */
  constant(name: string): ConstantDef | undefined {
    return this.bindCount.get(name) === 1 ? this.constants.get(name) : undefined;
  }

  importOf(name: string): ImportBinding | undefined {
    return this.bindCount.get(name) === 1 ? this.imports.get(name) : undefined;
  }

  /**
   * The import that binds `name` where `at` stands: names are bound in the order the module runs, so
   * `from airflow.decorators import dag` still holds for `@dag` above a later `dag = my_dag()`. Only
   * when the binding in force is the import (or an earlier top-level one replaced it with another
   * import); a binding inside an `if`/`try`/loop before the use makes the name unknown.
   */
  importAt(name: string, at: Node): ImportBinding | undefined {
    const count = this.bindCount.get(name) ?? 0;
    if (count <= 1) return count === 1 ? this.imports.get(name) : undefined;
    const row = at.startPosition.row;
    let inForce: { row: number; top: boolean; imp?: ImportBinding } | undefined;
    let conditional = false;
    for (const b of this.bindRows.get(name) ?? []) {
      if (b.row >= row) continue;
      if (!inForce || b.row >= inForce.row) inForce = b;
      if (!b.top && !b.imp) conditional = true;
    }
    return inForce?.imp && !conditional ? inForce.imp : undefined;
  }

  timesBound(name: string): number {
    return this.bindCount.get(name) ?? 0;
  }

  allConstants(): ConstantDef[] {
    return [...this.constants.values()].filter((c) => this.bindCount.get(c.name) === 1);
  }

  /**
   * The Airflow name a callee stands for (`DAG`, `dag`, `Asset`, `task`...), or null when it does not
   * come from an Airflow import. `airflow.models.DAG`, `sdk.DAG` (import airflow.sdk as sdk), aliases.
   */
  airflowName(callee: Node): string | null {
    const parts = dottedParts(callee);
    if (!parts || parts.length === 0) return null;
    const [head, ...rest] = parts;
    if (rest.length === 0 && this.dagClasses.has(head!) && this.timesBound(head!) === 1) return 'DAG';
    const b = this.importAt(head!, callee);
    if (b && !isAirflowModule(b.module)) {
      const symbol = rest.length === 0 ? b.symbol : b.symbol === null && rest.length === 1 ? rest[0]! : null;
      return symbol !== null && isLibraryDagClass(b.module, symbol) ? 'DAG' : null;
    }
    if (!b) return null;
    if (rest.length === 0) return b.symbol;
    // `import airflow` / `from airflow import models` then attribute access.
    if (b.symbol === null || isAirflowModule(`${b.module}.${b.symbol}`)) return rest[rest.length - 1] ?? null;
    return null;
  }

  /** Function, class, lambda and comprehension nodes enclosing `node`, innermost first (never `node` itself). */
  *enclosingScopes(node: Node): Generator<Node> {
    const near = this.textScopes?.around(node) ?? null;
    if (near) {
      for (const s of near) if (s.id !== node.id) yield s;
      return;
    }
    if (!this.scopeForest) {
      const spans: Span<Node>[] = [];
      for (const n of this.scopeNodes()) if (n) spans.push({ start: n.startIndex, end: n.endIndex, value: n });
      this.scopeForest = new RangeForest(spans);
    }
    for (const s of this.scopeForest.around(node.startIndex, node.endIndex)) if (s.id !== node.id) yield s;
  }

  /** Name of the function or lambda that binds `name` locally around `node`, or null. */
  localOwner(node: Node, name: string): { kind: 'function' | 'comprehension' | 'deep'; owner: string; fnId?: number } | null {
    let depth = 0;
    for (const p of this.enclosingScopes(node)) {
      if (++depth > MAX_NESTING) return { kind: 'deep', owner: '' };
      this.budget.tick();
      if (typeOf(p) === 'function_definition' || typeOf(p) === 'lambda') {
        if (this.bindingsOf(p).has(name)) return { kind: 'function', owner: p.childForFieldName('name')?.text ?? 'lambda', fnId: p.id };
      } else if (typeOf(p) !== 'class_definition' && this.comprehensionNames(p).has(name)) {
        return { kind: 'comprehension', owner: '' };
      }
    }
    return null;
  }

  private comprehensionNames(p: Node): Set<string> {
    let names = this.localBindings.get(p.id);
    if (names) return names;
    names = new Set();
    for (const c of namedKids(p)) {
      const left = typeOf(c) === 'for_in_clause' ? c.childForFieldName('left') : null;
      if (left) for (const n of targetNames(left)) names.add(n);
    }
    this.localBindings.set(p.id, names);
    return names;
  }

  private readonly bodyNames = new Map<number, Set<string>>();

  /** Names `fn`'s body binds itself (assignment, loop, with, def), parameters not included. */
  bodyBindings(fn: Node): Set<string> {
    let names = this.bodyNames.get(fn.id);
    if (names) return names;
    names = new Set<string>();
    const body = fn.childForFieldName('body');
    if (body) this.collectLocal(fn, body, names);
    this.bodyNames.set(fn.id, names);
    return names;
  }

  /** `bodyBindings` of a function already asked about, by node id. */
  bodyBindingsOf(fnId: number): Set<string> | undefined {
    return this.bodyNames.get(fnId);
  }

  private bindingsOf(fn: Node): Set<string> {
    const cached = this.localBindings.get(fn.id);
    if (cached) return cached;
    const names = new Set<string>();
    const params = fn.childForFieldName('parameters');
    if (params) for (const p of namedKids(params)) for (const n of paramNames(p)) names.add(n);
    const body = fn.childForFieldName('body');
    if (body) this.collectLocal(fn, body, names);
    this.localBindings.set(fn.id, names);
    return names;
  }

  /** Names bound by assignment / for / with / def inside `fn`'s body (not inside nested defs, classes or lambdas). */
  private collectLocal(fn: Node, body: Node, out: Set<string>): void {
    for (const c of body.descendantsOfType(LOCAL_BINDERS)) {
      if (!c) continue;
      this.budget.tick();
      if (this.ownerOf(c) !== fn.id) continue;
      if (typeOf(c) === 'function_definition' || typeOf(c) === 'class_definition') {
        const name = c.childForFieldName('name');
        if (name) out.add(name.text);
      } else if (typeOf(c) === 'as_pattern_target') {
        for (const x of targetNames(c)) out.add(x);
      } else {
        const left = c.childForFieldName('left');
        if (left) for (const x of targetNames(left)) out.add(x);
      }
    }
  }

  /** Id of the innermost function, class or lambda around `n` (-1: the module). */
  private ownerOf(n: Node): number {
    for (const s of this.enclosingScopes(n)) if (typeOf(s) === 'function_definition' || typeOf(s) === 'class_definition' || typeOf(s) === 'lambda') return s.id;
    return -1;
  }
}

/** The constant of a top-level `name = value` read from the text: its nodes are looked up when first asked for. */
class StatementConstant implements ConstantDef {
  private nodes?: { nameNode: Node; value: Node };

  constructor(
    readonly name: string,
    private readonly statement: Node,
  ) {}

  private read(): { nameNode: Node; value: Node } {
    if (this.nodes) return this.nodes;
    const a = namedKids(this.statement).find((c) => typeOf(c) === 'assignment');
    const nameNode = a?.childForFieldName('left');
    const value = a?.childForFieldName('right');
    if (!nameNode || !value) throw new Error(`\`${this.name} = ...\` read from the text is not an assignment in the tree`);
    return (this.nodes = { nameNode, value });
  }

  get nameNode(): Node {
    return this.read().nameNode;
  }

  get value(): Node {
    return this.read().value;
  }
}

const LOCAL_BINDERS = ['assignment', 'augmented_assignment', 'for_statement', 'as_pattern_target', 'function_definition', 'class_definition'];
const TARGET_TYPES = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list', 'as_pattern_target', 'list_splat_pattern', 'parenthesized_expression']);

function paramNames(p: Node): string[] {
  if (typeOf(p) === 'identifier') return [p.text];
  const n = p.childForFieldName('name') ?? namedKids(p).find((c) => typeOf(c) === 'identifier');
  return n ? [n.text] : [];
}

/** Names bound by an assignment target, in order (nesting deeper than MAX_NESTING is not followed). */
/**
 * The `as` targets of a with clause, from its items (`with A() as a, (B() as b):`): each item's value
 * is an `as_pattern` whose alias is the target. In a tree without errors this is every
 * `as_pattern_target` under the clause (the grammar has no other place for one in an expression).
 */
export function withItemTargets(clause: Node): Node[] {
  const out: Node[] = [];
  for (const item of namedKids(clause)) {
    if (typeOf(item) !== 'with_item') continue;
    const value = item.childForFieldName('value');
    if (value && typeOf(value) === 'as_pattern') {
      const alias = value.childForFieldName('alias');
      if (alias) out.push(alias);
    }
  }
  return out;
}

export function targetNames(t: Node): string[] {
  const out: string[] = [];
  const stack: { n: Node; depth: number }[] = [{ n: t, depth: 0 }];
  while (stack.length) {
    const { n, depth } = stack.pop()!;
    if (typeOf(n) === 'identifier') out.push(n.text);
    else if (TARGET_TYPES.has(typeOf(n)) && depth < MAX_NESTING) {
      const kids = namedKids(n);
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ n: kids[i]!, depth: depth + 1 });
    }
  }
  return out;
}
