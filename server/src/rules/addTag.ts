/** "Add tag 'x' (grants role y)" fixes: insert a mapped tag into a DAG's tags (or add tags=[...]). */
import { tagResolverOf } from '../model/tagResolver';
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
  const resolver = tagResolverOf(config);
  for (const tag of resolver.exactTags()) {
    if (present.has(tag) || fixes.length >= limit) continue;
    // Only tags the sync acts on: one mapped to Admin, or to a built-in role without manage_builtin, grants nothing.
    const grants = resolver.managedGrants(tag);
    if (!grants.length) continue;
    const edits = addTagEdits(dag, JSON.stringify(tag), file, text);
    if (!edits) return fixes;
    fixes.push({ title: `Add tag '${tag}' (grants ${grants.map(({ role }) => `${role.name} ${role.dagPermissions.map((p) => p.value).join(', ')}`).join('; ')})`, kind: 'refactor', edits });
  }
  return fixes;
}
