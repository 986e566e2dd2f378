/** "Add tag 'x' (grants role y)" fixes: insert a mapped tag into a DAG's tags (or add tags=[...]). */
import type { AccessConfig } from '../model/config';
import type { Fix } from '../model/findings';
import type { DagFact } from '../model/facts';

export function addTagFixes(dag: DagFact, config: AccessConfig | null, file: string, limit = 8): Fix[] {
  if (!config) return [];
  const present = new Set(dag.tags?.items.map((t) => t.value) ?? []);
  const fixes: Fix[] = [];
  for (const role of config.roles) {
    for (const tag of role.tags) {
      if (present.has(tag.value) || fixes.length >= limit) continue;
      present.add(tag.value);
      const edit = insertTagEdit(dag, tag.value, file);
      if (!edit) return fixes;
      fixes.push({ title: `Add tag '${tag.value}' (grants ${role.name} ${role.dagPermissions.map((p) => p.value).join(', ')})`, kind: 'refactor', edits: [edit] });
    }
  }
  return fixes;
}

function insertTagEdit(dag: DagFact, tag: string, file: string) {
  const literal = JSON.stringify(tag);
  if (dag.tags) {
    if (!dag.tags.insertAt) return null;
    const sep = dag.tags.items.length ? ', ' : '';
    return { file, range: { start: dag.tags.insertAt, end: dag.tags.insertAt }, newText: `${sep}${literal}` };
  }
  if (!dag.argsRange) return null;
  const at = { line: dag.argsRange.start.line, character: dag.argsRange.start.character + 1 };
  const empty = dag.argsRange.start.line === dag.argsRange.end.line && dag.argsRange.end.character - dag.argsRange.start.character <= 2;
  return { file, range: { start: at, end: at }, newText: empty ? `tags=[${literal}]` : `tags=[${literal}], ` };
}
