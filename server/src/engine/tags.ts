/** Tag -> role lookups over the config. */
import type { AccessConfig, RoleConfig } from '../model/config';
import type { Located } from '../model/facts';
import { closestMatch } from '../config/didYouMean';
import { nearPatternMatch } from './tagNearMiss';

export interface TagRoleMatch {
  role: RoleConfig;
  /** The tag entry in the config that matched (its range points into the config file). */
  configTag: Located<string>;
}

/** Roles granted by `tag` (exact, case-sensitive match, as Airflow compares dag_tag.name). */
export function rolesForTag(config: AccessConfig | null, tag: string): TagRoleMatch[] {
  const out: TagRoleMatch[] = [];
  for (const role of config?.roles ?? []) {
    const configTag = role.tags.find((t) => t.value === tag);
    if (configTag) out.push({ role, configTag });
  }
  return out;
}

/** Every tag some role maps, in config order, without duplicates. */
export function allMappedTags(config: AccessConfig | null): string[] {
  const seen = new Set<string>();
  for (const role of config?.roles ?? []) for (const t of role.tags) seen.add(t.value);
  return [...seen];
}

/**
 * A tag that looks like a permission tag: it matches `permission_tag_pattern`, is a near miss of it
 * (tagNearMiss.ts), or is close to a mapped tag, e.g. a typo. Mapped tags themselves are not
 * "permission-like".
 */
export function isPermissionLikeTag(config: AccessConfig | null, tag: string): boolean {
  if (!config || rolesForTag(config, tag).length) return false;
  if (config.permissionTagPattern) {
    const re = config.permissionTagPattern.regex;
    re.lastIndex = 0;
    if (re.test(tag) || nearPatternMatch(config.permissionTagPattern, tag) !== null) return true;
  }
  return closestMappedTag(config, tag) !== null;
}

/** The tag corrected to match `permission_tag_pattern`, when it is one or two edits away from it. */
export function patternNearMiss(config: AccessConfig | null, tag: string): string | null {
  return config?.permissionTagPattern ? nearPatternMatch(config.permissionTagPattern, tag) : null;
}

/** Did-you-mean: the mapped tag closest to `tag` by edit distance, or null when none is close. */
export function closestMappedTag(config: AccessConfig | null, tag: string): string | null {
  return closestMatch(tag, allMappedTags(config));
}
