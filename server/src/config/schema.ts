/**
 * The role-mapping file format, version 1. This zod schema is the single truth: the loader
 * validates with it, `schemas/airflow-access.schema.json` is generated from it, and the
 * in-memory `AccessConfig` (model/config.ts) is built from its output.
 *
 * Documented defaults: `cleanup` false (the seed's `do_cleanup` defaults to true; conversion from
 * the seed writes it explicitly), `base_role` Viewer, `dag_permissions` [can_read],
 * `airflow.auth_manager` fab, `airflow.multi_team` false, `manage_builtin` false,
 * `dags.include` ["**\/*.py"], `base_role_dag_wide` false, `revoke_dag_wide` false. A missing `airflow.version` means "latest Airflow".
 */
import { z } from 'zod';

export const DAG_ACTIONS = ['can_read', 'can_edit', 'can_delete'] as const;
export const DAG_RUN_ACTIONS = ['can_read', 'can_create', 'can_delete', 'menu_access'] as const;
export const ROLE_NAME_MAX = 64;
/** Auth managers whose DAG access this tool models (docs/auth-managers.md). Only fab reads the synced grants. */
export const AUTH_MANAGERS = ['fab', 'file', 'simple', 'keycloak', 'aws'] as const;
export const TAG_MAX = 100;

/**
 * Compile a tag pattern. Python-style named groups (`(?P<name>...)`, `(?P=name)`) are accepted and
 * translated, since users often copy patterns from Python code.
 */
export function compileTagPattern(source: string): RegExp {
  return new RegExp(source.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}

function patternProblem(source: string): string | null {
  try {
    compileTagPattern(source);
    return null;
  } catch (e) {
    return `Invalid regular expression in permission_tag_pattern: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}

const roleName = z.string().min(1).max(ROLE_NAME_MAX);
const tag = z.string().min(1).max(TAG_MAX);

export const roleSchema = z
  .object({
    tags: z.array(tag).default([]).describe('DAG tags that grant this role access to the tagged DAG.'),
    dag_permissions: z
      .array(z.enum(DAG_ACTIONS))
      .default(['can_read'])
      .describe('Per-DAG actions granted on DAG:<dag_id> (can_read, can_edit, can_delete).'),
    dag_run_permissions: z
      .array(z.enum(DAG_RUN_ACTIONS))
      .default([])
      .describe('Per-DAG actions granted on DAG Run:<dag_id> (Airflow >= 2.10).'),
    cleanup: z
      .boolean()
      .default(false)
      .describe('Revoke per-DAG grants of this role that the tags no longer explain (default false).'),
    base_role: roleName.default('Viewer').describe('Role whose permissions a newly created role starts from.'),
    base_role_dag_wide: z
      .boolean()
      .default(false)
      .describe(
        "Also copy the base role's DAG-wide grants (can_read / can_edit / can_delete on the 'DAGs' resource, i.e. on every DAG) when the sync creates this role (default false: the role reaches only the DAGs its tags grant).",
      ),
    revoke_dag_wide: z
      .boolean()
      .default(false)
      .describe(
        "Revoke DAG-wide grants (on the 'DAGs' resource) that this role already holds in the database, e.g. from copying Viewer by hand (default false: the plan only shows them).",
      ),
  })
  .strict();

export const airflowSchema = z
  .object({
    version: z
      .string()
      .regex(/^\d+\.\d+(\.\d+)?$/, 'expected "major.minor", e.g. "2.10" or "3.3"')
      .optional()
      .describe('Airflow version ("2.10", "3.0", "3.3"...). Omitted: assume the latest.'),
    auth_manager: z
      .enum(AUTH_MANAGERS)
      .default('fab')
      .describe('Auth manager: fab (roles, synced), file (users.yaml), simple (Airflow 3 default), keycloak or aws (external policies).'),
    multi_team: z.boolean().default(false).describe('[core] multi_team is enabled (Airflow >= 3.3 for assets).'),
    dag_ignore_file_syntax: z
      .enum(['regexp', 'glob'])
      .optional()
      .describe('[core] dag_ignore_file_syntax: how .airflowignore lines are read. Omitted: the default of airflow.version (glob from Airflow 3, regexp before).'),
  })
  .strict();

export const teamSchema = z
  .object({
    bundles: z.array(z.string().min(1)).default([]).describe('DAG bundles that belong to this team.'),
    paths: z.array(z.string().min(1)).default([]).describe('Globs, relative to the workspace root, of DAG files of this team.'),
  })
  .strict();

export const dagsSchema = z
  .object({
    include: z.array(z.string().min(1)).default(['**/*.py']).describe('Globs of DAG files to analyse.'),
    exclude: z.array(z.string().min(1)).default([]).describe('Globs of files to skip.'),
  })
  .strict();

export const configSchemaV1 = z
  .object({
    version: z.literal(1).default(1).describe('Format version of this file.'),
    permission_tag_pattern: z
      .string()
      .superRefine((source, ctx) => {
        const problem = patternProblem(source);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'bad-regexp' } });
      })
      .optional()
      .describe('Regular expression matching tags that look like permission tags (unmapped ones are reported).'),
    roles: z.record(roleName, roleSchema).default({}).describe('Airflow roles and the tags that grant them access.'),
    airflow: airflowSchema.default({ auth_manager: 'fab', multi_team: false }),
    teams: z.record(z.string().min(1), teamSchema).default({}).describe('How DAG files map to teams (multi-team).'),
    users_file: z.string().min(1).optional().describe('users.yaml of the file auth manager, relative to this file.'),
    manage_builtin: z.boolean().default(false).describe('Allow the sync to change Admin, Op, User, Viewer, Public.'),
    dags: dagsSchema.default({ include: ['**/*.py'], exclude: [] }),
  })
  .strict();

export type ConfigV1 = z.output<typeof configSchemaV1>;

/** One entry of the seed's `role_mappings` list: `{<label>: {airflow_role, airflow_edit_tag, ...}}`. */
export const seedMappingSchema = z
  .object({
    airflow_role: roleName,
    airflow_edit_tag: tag,
    permissions: z.array(z.enum(DAG_ACTIONS)).default(['can_read']),
    do_cleanup: z.boolean().default(true),
  })
  .strict();

export type SeedMapping = z.output<typeof seedMappingSchema>;

export const SEED_MAPPING_KEYS: readonly string[] = Object.keys(seedMappingSchema.shape);

/**
 * The seed file's top level; each entry is checked on its own (seedShape.ts): nested
 * `{<label>: {airflow_role, ...}}` or flat `{airflow_role, ...}`.
 */
export const seedSchema = z.object({ role_mappings: z.array(z.unknown()) }).strict();

/** Keys allowed at each level, for did-you-mean on unknown keys (by schema path, `*` = any record key). */
export const knownKeys: Record<string, readonly string[]> = {
  '': Object.keys(configSchemaV1.shape),
  'roles.*': Object.keys(roleSchema.shape),
  airflow: Object.keys(airflowSchema.shape),
  'teams.*': Object.keys(teamSchema.shape),
  dags: Object.keys(dagsSchema.shape),
  'role_mappings.*.*': Object.keys(seedMappingSchema.shape),
  'role_mappings.*': Object.keys(seedMappingSchema.shape),
};

/** The JSON Schema shipped for the YAML extension (input shape: defaults are optional). */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchemaV1, { io: 'input', target: 'draft-7' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://airflow-dag-access/schemas/airflow-access.schema.json',
    title: 'Airflow DAG Access role mapping (version 1)',
  };
}
