/** ADA002 (tag longer than 100 characters), ADA003 (the same tag twice) and ADA025 (a NUL character in a tag). */
import { lazySource } from './pySource';
import { removeTagFix } from './unmappedTag';
import { tagSite } from './helpers';
import type { FileRule, RuleFinding } from './rule';

export const TAG_MAX_LEN = 100;

export const tagTooLong: FileRule = {
  code: 'ADA002',
  scope: 'file',
  check({ facts }) {
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      for (const tag of dag.tags?.items ?? []) {
        if (tag.value.length <= TAG_MAX_LEN) continue;
        out.push({
          file: facts.file,
          range: tagSite(tag, facts.file, dag.tags!.range).range,
          message: `Tag is ${tag.value.length} characters; Airflow allows at most ${TAG_MAX_LEN} and will not load this DAG ("tag cannot be longer than ${TAG_MAX_LEN} characters").`,
        });
      }
    }
    return out;
  },
};

export const duplicateTag: FileRule = {
  code: 'ADA003',
  scope: 'file',
  check({ ctx, facts }) {
    const out: RuleFinding[] = [];
    const source = lazySource(ctx, facts);
    for (const dag of facts.dags) {
      const tags = dag.tags;
      if (!tags) continue;
      const seen = new Map<string, number>();
      tags.items.forEach((tag, i) => {
        const first = seen.get(tag.value);
        if (first === undefined) {
          seen.set(tag.value, i);
          return;
        }
        const site = tagSite(tag, facts.file, tags.range);
        const remove = site.literalFile === facts.file ? removeTagFix(tags, i, facts.file, source()) : null;
        out.push({
          file: facts.file,
          range: site.range,
          message: `Tag '${tag.value}' is listed twice; Airflow keeps tags as a set, so this one has no effect.`,
          tags: ['unnecessary'],
          related: [{ file: tagSite(tags.items[first], facts.file, tags.range).literalFile, range: tags.items[first].range, message: 'first occurrence' }],
          fixes: remove ? [remove] : [],
        });
      });
    }
    return out;
  },
};

/**
 * A NUL character cannot be stored in PostgreSQL text (Airflow fails to save the DAG's tags there) and
 * would make the sync's statements fail; the sync leaves such a tag out (desired.ts).
 */
export const tagWithNul: FileRule = {
  code: 'ADA025',
  scope: 'file',
  check({ facts }) {
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      for (const tag of dag.tags?.items ?? []) {
        if (!tag.value.includes('\u0000')) continue;
        out.push({
          file: facts.file,
          range: tagSite(tag, facts.file, dag.tags!.range).range,
          message: `Tag ${JSON.stringify(tag.value)} contains a NUL character (\\u0000): PostgreSQL cannot store it, and the sync leaves this tag out. Remove the character.`,
        });
      }
    }
    return out;
  },
};
