/** ADA001: a tag that looks like an access tag but maps to no role (the slice's core rule). */
import { closestMappedTag, isPermissionLikeTag, patternNearMiss } from '../engine/tags';
import type { Fix } from '../model/findings';
import type { Range, TagsFact } from '../model/facts';
import { addRoleFix } from './configEdits';
import { innerRange, tagSite } from './helpers';
import type { FileRule, RuleFinding } from './rule';
import { underFab } from './authManagerRules';
import { lazySource } from './pySource';
import { removeTagEdits } from './tagEdits';

export const unmappedTag: FileRule = {
  code: 'ADA001',
  scope: 'file',
  check({ ctx, facts }) {
    const config = ctx.config;
    // Under another auth manager ADA031 says the tag has no effect at all; mapping it would not help.
    if (!config || !underFab(ctx)) return [];
    const resolver = ctx.tags;
    const out: RuleFinding[] = [];
    const source = lazySource(ctx, facts);
    for (const dag of facts.dags) {
      if (!dag.tags) continue;
      dag.tags.items.forEach((tag, i) => {
        // Mapped: listed under a role, or permission_tag_pattern's `role` group names a config role.
        if (resolver.isMapped(tag.value)) return;
        // Permission-like: matches permission_tag_pattern, or is a near miss of a mapped tag (a typo).
        const suggestion = closestMappedTag(config, tag.value);
        if (!suggestion && !isPermissionLikeTag(config, tag.value)) return;
        // A near miss of the pattern (`finance_edti` for `_(read|edit)$`): the tag as meant.
        const meant = suggestion ? null : patternNearMiss(config, tag.value);
        const site = tagSite(tag, facts.file, dag.tags!.range);
        const fixes: Fix[] = [];
        const replacement = suggestion ?? meant;
        if (replacement) {
          const roles = resolver.grants(replacement).map((g) => g.role.name).join(', ');
          fixes.push({
            title: roles ? `Replace with '${replacement}' (grants ${roles})` : `Replace with '${replacement}' (matches permission_tag_pattern)`,
            kind: 'quickfix',
            isPreferred: true,
            edits: [{ file: site.literalFile, range: innerRange(tag.range), newText: replacement }],
          });
        }
        const remove = site.literalFile === facts.file ? removeTagFix(dag.tags!, i, facts.file, source()) : null;
        if (remove) fixes.push(remove);
        if (ctx.configText !== null) fixes.push(addRoleFix(config, ctx.configText, tag.value));
        const joined = site.literalFile === facts.file && joinedLiterals(source(), tag.range);
        const hint = joined
          ? ' Two strings with no comma between them are joined into one tag by Python: a comma is missing?'
          : suggestion
            ? ` Did you mean '${suggestion}'?`
            : meant
              ? ` It is a near miss of permission_tag_pattern '${config.permissionTagPattern!.source}': did you mean '${meant}'?`
              : '';
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

/**
 * Remove the i-th tag (written in `file`) with its separator, keeping the Python valid and its layout
 * (comments, trailing commas, one-element tuples). `text`: the source the facts were computed from
 * (`sourceOf`); null when it is not at hand, and then there is no fix.
 */
export function removeTagFix(tags: TagsFact, i: number, file: string, text: string | null): Fix | null {
  const edits = text === null ? null : removeTagEdits(tags, i, file, text);
  return edits ? { title: `Remove tag '${tags.items[i].value}'`, kind: 'quickfix', edits } : null;
}

function shortName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** `"a_read" "b_edit"` (implicit concatenation): the literal at `range` is two or more quoted strings. */
function joinedLiterals(text: string | null, range: Range): boolean {
  if (text === null || range.start.line !== range.end.line) return false;
  const line = text.split('\n')[range.start.line] ?? '';
  return /["'][ \t]+[rRbBuUfF]{0,2}["']/.test(line.slice(range.start.character, range.end.character));
}
