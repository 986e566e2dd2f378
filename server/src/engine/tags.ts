/** Tag -> role lookups over the config: the config's compiled resolver (model/tagResolver.ts) and did-you-mean. */
import type { AccessConfig, RoleConfig } from '../model/config';
import type { Range } from '../model/facts';
import { tagResolverOf, type TagGrant } from '../model/tagResolver';
import { closestMatch } from '../config/didYouMean';
import { nearPatternMatch } from './tagNearMiss';

export { tagResolverOf, type TagGrant } from '../model/tagResolver';
export type TagRoleMatch = TagGrant<RoleConfig>;

/**
 * Roles granted by `tag`: listed under the role (exact, case-sensitive, as Airflow compares
 * dag_tag.name), or named by permission_tag_pattern's `role` group. Includes roles the sync does not
 * manage (`managed: false`).
 */
export function rolesForTag(config: AccessConfig | null, tag: string): readonly TagRoleMatch[] {
  return tagResolverOf(config).grants(tag);
}

/** Every tag some role lists, in config order, without duplicates. */
export function allMappedTags(config: AccessConfig | null): string[] {
  return tagResolverOf(config).exactTags();
}

/**
 * A tag that looks like a permission tag: it matches `permission_tag_pattern`, is a near miss of it
 * (tagNearMiss.ts), or is close to a mapped tag, e.g. a typo. Mapped tags themselves are not
 * "permission-like".
 */
export function isPermissionLikeTag(config: AccessConfig | null, tag: string): boolean {
  if (!config || rolesForTag(config, tag).length) return false;
  if (config.permissionTagPattern) {
    if (tagResolverOf(config).matchesPattern(tag) || nearPatternMatch(config.permissionTagPattern, tag) !== null) return true;
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

/** Where the config maps `tag`: each role's tag entry, or permission_tag_pattern when it names the role. */
export function configEntries(config: AccessConfig | null, tag: string): { file: string; range: Range }[] {
  if (!config) return [];
  const out: { file: string; range: Range }[] = [];
  for (const g of rolesForTag(config, tag)) {
    if (g.configRange && !out.some((e) => e.range === g.configRange)) out.push({ file: config.file, range: g.configRange });
  }
  return out;
}
