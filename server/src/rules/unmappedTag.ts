/** ADA001: a tag that looks like an access tag but maps to no role (the slice's core rule). */
import { closestMappedTag, isPermissionLikeTag } from '../engine/tags';
import type { Fix } from '../model/findings';
import type { TagFact, TagsFact } from '../model/facts';
import { addRoleFix } from './configEdits';
import { innerRange, rolesByTag, tagSite } from './helpers';
import type { FileRule, RuleFinding } from './rule';

export const unmappedTag: FileRule = {
  code: 'ADA001',
  scope: 'file',
  check({ project, facts }) {
    const config = project.config;
    if (!config) return [];
    const mapped = rolesByTag(config);
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      if (!dag.tags) continue;
      dag.tags.items.forEach((tag, i) => {
        if (mapped.has(tag.value)) return;
        // Permission-like: matches permission_tag_pattern, or is a near miss of a mapped tag (a typo).
        const suggestion = closestMappedTag(config, tag.value);
        if (!suggestion && !isPermissionLikeTag(config, tag.value)) return;
        const site = tagSite(tag, facts.file, dag.tags!.range);
        const fixes: Fix[] = [];
        if (suggestion) {
          const roles = mapped.get(suggestion)!.map((r) => r.name).join(', ');
          fixes.push({
            title: `Replace with '${suggestion}' (grants ${roles})`,
            kind: 'quickfix',
            isPreferred: true,
            edits: [{ file: site.literalFile, range: innerRange(tag.range), newText: suggestion }],
          });
        }
        if (site.literalFile === facts.file) fixes.push(removeTagFix(dag.tags!, i, facts.file));
        if (project.configText !== null) fixes.push(addRoleFix(config, project.configText, tag.value));
        const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
        out.push({
          file: facts.file,
          range: site.range,
          message: `Tag '${tag.value}' looks like an access tag but no role in ${shortName(config.file)} maps it, so it grants nothing.${hint}`,
          fixes,
        });
      });
    }
    return out;
  },
};

/** Remove the i-th tag together with the separator before the next item (or after the previous one). */
export function removeTagFix(tags: TagsFact, i: number, file: string): Fix {
  const items: TagFact[] = tags.items;
  const tag = items[i];
  const next = items[i + 1];
  const prev = items[i - 1];
  const sameFile = (t?: TagFact) => t && !t.via;
  const range = sameFile(next)
    ? { start: tag.range.start, end: next!.range.start }
    : sameFile(prev)
      ? { start: prev!.range.end, end: tag.range.end }
      : tag.range;
  return { title: `Remove tag '${tag.value}'`, kind: 'quickfix', edits: [{ file, range, newText: '' }] };
}

function shortName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
