/**
 * Tag → role, once. Which config roles a DAG tag grants, how (an exact tag entry under the role, or
 * `permission_tag_pattern` naming the role) and where the mapping is written. The access engine (hover,
 * explain, matrix, check), the sync planner, completion, describe and the quick fixes all ask this; to
 * change how a tag maps to a role, change this file (docs/access-model.md "Tags and roles").
 *
 * - Exact: a tag grants every role that lists it under `tags:`, compared case-sensitively as Airflow
 *   compares `dag_tag.name`.
 * - Pattern: a tag that `permission_tag_pattern` matches grants the role its named group `role`
 *   captured (`(?P<role>...)` or `(?<role>...)`), when the config defines that role. Other groups
 *   (the `(read|edit)` of `_(read|edit)$`) name nothing: such a pattern only tells check which tags
 *   look like access tags.
 * - Either way the role's own `dag_permissions` / `dag_run_permissions` are what the tag grants.
 * - The sync manages (writes grants for) every config role but Admin, and the built-in roles only
 *   with `manage_builtin: true`; a tag's grants to other roles are never written.
 *
 * Plain data in, plain data out: built from the loaded config (`tagResolverOf`) or from a plan's
 * JSON inputs (`new TagResolver(...)`), so a stored plan re-resolves its tags the same way.
 */
import type { AccessConfig, RoleConfig } from './config';
import type { Range } from './facts';
import { DEFAULT_ROLES } from './defaultRoles';

export interface ResolverRole {
  name: string;
  /** The role's tag entries, with where each is written when known. */
  tags: readonly { value: string; range?: Range }[];
}

export interface TagGrant<R extends ResolverRole = ResolverRole> {
  role: R;
  /** 'exact': the tag is listed under the role; 'pattern': permission_tag_pattern's `role` group names it. */
  match: 'exact' | 'pattern';
  /** The sync writes this role's grants (not Admin; a built-in role only with manage_builtin). */
  managed: boolean;
  /** Config file and range of the mapping: the tag entry (exact) or permission_tag_pattern (pattern). */
  configFile: string | null;
  configRange: Range | null;
}

export interface TagPatternSource {
  source: string;
  flags?: string;
  range?: Range;
}

/** Whether the sync may change `role` (docs/access-model.md): never Admin, built-in roles only with manageBuiltin. */
export function isManagedRole(role: string, manageBuiltin: boolean): boolean {
  if (role === 'Admin') return false;
  return manageBuiltin || !(DEFAULT_ROLES as readonly string[]).includes(role);
}

/** The role a tag names through `pattern`: its `role` group, when the pattern matches and that group took part. */
export function roleFromTag(tag: string, pattern: RegExp | null): string | null {
  if (!pattern) return null;
  pattern.lastIndex = 0;
  const m = pattern.exec(tag);
  const role = m?.groups?.role;
  return role ? role : null;
}

export class TagResolver<R extends ResolverRole = ResolverRole> {
  /** Roles by name; the first role of a name wins (a config never has two, plan inputs are deduplicated the same way). */
  private readonly byName = new Map<string, R>();
  private readonly exact = new Map<string, { role: R; range?: Range }[]>();
  private readonly pattern: RegExp | null;
  private readonly patternRange: Range | null;
  private readonly memo = new Map<string, TagGrant<R>[]>();

  constructor(
    readonly roles: readonly R[],
    pattern: TagPatternSource | null,
    readonly manageBuiltin: boolean,
    readonly configFile: string | null = null,
  ) {
    for (const role of roles) {
      if (this.byName.has(role.name)) continue;
      this.byName.set(role.name, role);
      for (const t of role.tags) {
        const list = this.exact.get(t.value);
        if (!list) this.exact.set(t.value, [{ role, range: t.range }]);
        else if (!list.some((e) => e.role === role)) list.push({ role, range: t.range });
      }
    }
    // Never global or sticky: one tag's match must not move where the next one starts.
    this.pattern = pattern ? new RegExp(pattern.source, (pattern.flags ?? '').replace(/[gy]/g, '')) : null;
    this.patternRange = pattern?.range ?? null;
  }

  /** Every role `tag` grants, config order, exact mappings before the pattern's; each role once. */
  grants(tag: string): readonly TagGrant<R>[] {
    const hit = this.memo.get(tag);
    if (hit) return hit;
    const out: TagGrant<R>[] = [];
    for (const e of this.exact.get(tag) ?? []) out.push(this.grant(e.role, 'exact', e.range ?? null));
    const named = roleFromTag(tag, this.pattern);
    const role = named !== null ? this.byName.get(named) : undefined;
    if (role && !out.some((g) => g.role === role)) out.push(this.grant(role, 'pattern', this.patternRange));
    this.memo.set(tag, out);
    return out;
  }

  /** The grants of `tag` the sync writes (its managed roles). */
  managedGrants(tag: string): TagGrant<R>[] {
    return this.grants(tag).filter((g) => g.managed);
  }

  /** Whether `tag` grants some config role (exactly or through the pattern). */
  isMapped(tag: string): boolean {
    return this.grants(tag).length > 0;
  }

  /** Tags listed under some role, config order, each once (the pattern's tags are open-ended). */
  exactTags(): string[] {
    return [...this.exact.keys()];
  }

  /** Roles that list `tag` exactly (config rules about the config's own entries). */
  exactRoles(tag: string): R[] {
    return (this.exact.get(tag) ?? []).map((e) => e.role);
  }

  /** The role name permission_tag_pattern's `role` group takes from `tag` (whether or not the config defines it). */
  patternRoleName(tag: string): string | null {
    return roleFromTag(tag, this.pattern);
  }

  /** Whether permission_tag_pattern matches `tag` at all. */
  matchesPattern(tag: string): boolean {
    return this.pattern !== null && this.pattern.test(tag);
  }

  /** Where permission_tag_pattern's match starts in `tag` (-1: no match). */
  patternIndex(tag: string): number {
    const m = this.pattern?.exec(tag);
    return m ? m.index : -1;
  }

  role(name: string): R | undefined {
    return this.byName.get(name);
  }

  private grant(role: R, match: 'exact' | 'pattern', configRange: Range | null): TagGrant<R> {
    return { role, match, managed: isManagedRole(role.name, this.manageBuiltin), configFile: this.configFile, configRange };
  }
}

const compiled = new WeakMap<AccessConfig, TagResolver<RoleConfig>>();
const EMPTY = new TagResolver<RoleConfig>([], null, false);

/** The config's resolver, compiled once per loaded config (configs are not changed after loading). */
export function tagResolverOf(config: AccessConfig | null): TagResolver<RoleConfig> {
  if (!config) return EMPTY;
  let r = compiled.get(config);
  if (!r) {
    const p = config.permissionTagPattern;
    r = new TagResolver(config.roles, p ? { source: p.regex.source, flags: p.regex.flags, range: p.range } : null, config.manageBuiltin, config.file);
    compiled.set(config, r);
  }
  return r;
}
