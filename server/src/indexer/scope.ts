/**
 * Name binding: which module-level names are constants (bound exactly once, by a plain top-level
 * assignment), which come from imports, and which are local to a function or loop (never resolved).
 */
import type { Node } from 'web-tree-sitter';
import type { ImportBinding } from './extractImports';
import { dottedParts, kids, moduleStatements, namedKids } from './syntax';

export interface ConstantDef {
  name: string;
  nameNode: Node;
  value: Node;
}

/** Modules Airflow ships; a callee counts as Airflow's only if its name comes from one of them. */
function isAirflowModule(mod: string): boolean {
  return mod === 'airflow' || mod.startsWith('airflow.');
}

export class ModuleScope {
  private readonly bindCount = new Map<string, number>();
  private readonly constants = new Map<string, ConstantDef>();
  private readonly imports = new Map<string, ImportBinding>();
  private readonly localBindings = new Map<number, Set<string>>();
  readonly loopVars = new Set<string>();

  constructor(root: Node, bindings: ImportBinding[], statements: Iterable<Node> = moduleStatements(root)) {
    for (const b of bindings) {
      this.imports.set(b.local, b);
      this.bump(b.local);
    }
    for (const st of statements) this.collect(st, root);
  }

  private bump(name: string): void {
    this.bindCount.set(name, (this.bindCount.get(name) ?? 0) + 1);
  }

  private collect(st: Node, root: Node): void {
    switch (st.type) {
      case 'expression_statement':
        for (const e of namedKids(st)) if (e.type === 'assignment' || e.type === 'augmented_assignment') this.assignment(e, st.parent?.id === root.id);
        break;
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
        const clause = namedKids(st).find((c) => c.type === 'with_clause');
        for (const t of clause?.descendantsOfType('as_pattern_target') ?? []) if (t) for (const n of targetNames(t)) this.bump(n);
        break;
      }
    }
  }

  private assignment(a: Node, topLevel: boolean): void {
    const left = a.childForFieldName('left');
    let right = a.childForFieldName('right');
    if (!left) return;
    const names = targetNames(left);
    for (const n of names) this.bump(n);
    if (a.type === 'augmented_assignment') return this.bump(names[0] ?? '');
    while (right && right.type === 'assignment') {
      this.assignment(right, topLevel);
      right = right.childForFieldName('right');
    }
    if (topLevel && left.type === 'identifier' && right) this.constants.set(left.text, { name: left.text, nameNode: left, value: right });
  }

  /** A constant only when its name is bound exactly once in the module. */
  constant(name: string): ConstantDef | undefined {
    return this.bindCount.get(name) === 1 ? this.constants.get(name) : undefined;
  }

  importOf(name: string): ImportBinding | undefined {
    return this.bindCount.get(name) === 1 ? this.imports.get(name) : undefined;
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
    const b = this.importOf(head!);
    if (!b || !isAirflowModule(b.module)) return null;
    if (rest.length === 0) return b.symbol;
    // `import airflow` / `from airflow import models` then attribute access.
    if (b.symbol === null || isAirflowModule(`${b.module}.${b.symbol}`)) return rest[rest.length - 1] ?? null;
    return null;
  }

  /** Name of the function or lambda that binds `name` locally around `node`, or null. */
  localOwner(node: Node, name: string): { kind: 'function' | 'comprehension'; owner: string } | null {
    for (let p = node.parent; p; p = p.parent) {
      if (p.type === 'function_definition' || p.type === 'lambda') {
        if (this.bindingsOf(p).has(name)) return { kind: 'function', owner: p.childForFieldName('name')?.text ?? 'lambda' };
      } else if (p.type.endsWith('_comprehension') || p.type === 'generator_expression') {
        for (const c of namedKids(p)) if (c.type === 'for_in_clause') {
          const left = c.childForFieldName('left');
          if (left && targetNames(left).includes(name)) return { kind: 'comprehension', owner: '' };
        }
      }
    }
    return null;
  }

  private bindingsOf(fn: Node): Set<string> {
    const cached = this.localBindings.get(fn.id);
    if (cached) return cached;
    const names = new Set<string>();
    const params = fn.childForFieldName('parameters');
    if (params) for (const p of namedKids(params)) for (const n of paramNames(p)) names.add(n);
    const body = fn.childForFieldName('body');
    if (body) collectLocal(body, names);
    this.localBindings.set(fn.id, names);
    return names;
  }
}

function paramNames(p: Node): string[] {
  if (p.type === 'identifier') return [p.text];
  const n = p.childForFieldName('name') ?? namedKids(p).find((c) => c.type === 'identifier');
  return n ? [n.text] : [];
}

/** Names bound by assignment / for / with / def inside a function body (not inside nested defs). */
function collectLocal(n: Node, out: Set<string>): void {
  for (const c of kids(n)) {
    switch (c.type) {
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement': {
        const left = c.childForFieldName('left');
        if (left) for (const x of targetNames(left)) out.add(x);
        break;
      }
      case 'as_pattern_target':
        for (const x of targetNames(c)) out.add(x);
        break;
      case 'function_definition':
      case 'class_definition': {
        const name = c.childForFieldName('name');
        if (name) out.add(name.text);
        continue;
      }
      case 'lambda':
        continue;
    }
    collectLocal(c, out);
  }
}

export function targetNames(t: Node): string[] {
  if (t.type === 'identifier') return [t.text];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list', 'as_pattern_target', 'list_splat_pattern', 'parenthesized_expression'].includes(t.type)) {
    return namedKids(t).flatMap(targetNames);
  }
  return [];
}
