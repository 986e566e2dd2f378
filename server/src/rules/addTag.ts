/** "Add tag 'x' (grants role y)" fixes: insert a mapped tag into a DAG's tags (or add tags=[...]). */
import type { AccessConfig } from '../model/config';
import type { Fix } from '../model/findings';
import type { DagFact } from '../model/facts';
import { addTagEdits } from './tagEdits';

/**
 * `text`: the source the facts were computed from (`sourceOf`); the edits follow the call's own layout
 * (after the last argument, one per line...). Without it (null) no fix is offered.
 */
export function addTagFixes(dag: DagFact, config: AccessConfig | null, file: string, text: string | null, limit = 8): Fix[] {
  if (!config || text === null) return [];
  const present = new Set(dag.tags?.items.map((t) => t.value) ?? []);
  const fixes: Fix[] = [];
  for (const role of config.roles) {
    for (const tag of role.tags) {
      if (present.has(tag.value) || fixes.length >= limit) continue;
      present.add(tag.value);
      const edits = addTagEdits(dag, JSON.stringify(tag.value), file, text);
      if (!edits) return fixes;
      fixes.push({ title: `Add tag '${tag.value}' (grants ${role.name} ${role.dagPermissions.map((p) => p.value).join(', ')})`, kind: 'refactor', edits });
    }
  }
  return fixes;
}
