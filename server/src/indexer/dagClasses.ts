/**
 * DAG subclasses: `class TeamDag(DAG): ...` at module level, whose base resolves to Airflow's DAG (or to
 * a DAG subclass defined above it). A call of such a class builds a DAG like `DAG(...)` itself; one
 * that defines its own `__init__` / `__new__` may pass other values on, which extraction says.
 * Subclasses imported from other workspace modules are recognised by the workspace index, from the
 * `dagClass` export of the module that defines them.
 */
import type { Node } from 'web-tree-sitter';
import type { ModuleScope } from './scope';
import { namedKids, typeOf } from './syntax';

/** Record the module's DAG subclasses in `scope.dagClasses`, in source order (so a chain of subclasses resolves). */
export function findDagClasses(statements: Node[], text: string, scope: ModuleScope): void {
  if (!text.includes('class ')) return;
  for (const st of statements) {
    scope.budget.tick();
    const def = typeOf(st) === 'decorated_definition' ? st.childForFieldName('definition') : st;
    if (!def || typeOf(def) !== 'class_definition') continue;
    const name = def.childForFieldName('name');
    const bases = def.childForFieldName('superclasses');
    if (!name || !bases) continue;
    if (!namedKids(bases).some((b) => typeOf(b) !== 'keyword_argument' && scope.airflowName(b) === 'DAG')) continue;
    scope.dagClasses.set(name.text, { node: def, ownInit: definesInit(def) });
  }
}

function definesInit(cls: Node): boolean {
  const body = cls.childForFieldName('body');
  for (const st of body ? namedKids(body) : []) {
    const def = typeOf(st) === 'decorated_definition' ? st.childForFieldName('definition') : st;
    const n = def && typeOf(def) === 'function_definition' ? def.childForFieldName('name')?.text : undefined;
    if (n === '__init__' || n === '__new__') return true;
  }
  return false;
}

/** An imported name that may be a DAG subclass of another workspace module (`TeamDag`, `CustomDAG`): asked about across files. */
export function mayBeDagClassName(local: string): boolean {
  return /^[A-Z]/.test(local) && /dag/i.test(local);
}
