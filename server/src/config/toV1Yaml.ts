/**
 * AccessConfig -> v1 YAML text. Used by the "convert to v1 YAML" code action for seed configs, so
 * every value whose default differs between formats (cleanup: the seed defaults do_cleanup to
 * true, v1 to false) is written explicitly. Loading the output gives back the same roles.
 */
import * as path from 'path';
import { Document, isSeq, visit } from 'yaml';
import type { AccessConfig } from '../model/config';

export function configToV1Yaml(config: AccessConfig): string {
  const out: Record<string, unknown> = { version: 1 };
  if (config.permissionTagPattern) out.permission_tag_pattern = config.permissionTagPattern.source;
  const airflow: Record<string, unknown> = {};
  if (config.airflow.version) airflow.version = config.airflow.version;
  airflow.auth_manager = config.airflow.authManager;
  if (config.airflow.multiTeam) airflow.multi_team = true;
  out.airflow = airflow;

  const roles: Record<string, unknown> = {};
  for (const r of config.roles) {
    const role: Record<string, unknown> = {
      tags: unique(r.tags.map((t) => t.value)),
      dag_permissions: unique(r.dagPermissions.map((p) => p.value)),
    };
    if (r.dagRunPermissions.length) role.dag_run_permissions = unique(r.dagRunPermissions.map((p) => p.value));
    role.cleanup = r.cleanup;
    if (r.baseRole !== 'Viewer') role.base_role = r.baseRole;
    if (r.baseRoleDagWide) role.base_role_dag_wide = true;
    if (r.revokeDagWide) role.revoke_dag_wide = true;
    const prev = roles[r.name] as { tags: string[]; dag_permissions: string[] } | undefined;
    if (prev) {
      prev.tags = unique([...prev.tags, ...(role.tags as string[])]);
      prev.dag_permissions = unique([...prev.dag_permissions, ...(role.dag_permissions as string[])]);
    } else {
      roles[r.name] = role;
    }
  }
  out.roles = roles;

  if (config.teams.length) {
    const teams: Record<string, unknown> = {};
    for (const t of config.teams) {
      const team: Record<string, unknown> = {};
      if (t.bundles.length) team.bundles = t.bundles;
      if (t.paths.length) team.paths = t.paths;
      teams[t.name] = team;
    }
    out.teams = teams;
  }
  if (config.usersFile) out.users_file = toPosix(path.relative(path.dirname(config.file), config.usersFile)) || config.usersFile;
  if (config.manageBuiltin) out.manage_builtin = true;
  const defaultDags = config.dags.exclude.length === 0 && config.dags.include.length === 1 && config.dags.include[0] === '**/*.py';
  if (!defaultDags) out.dags = { include: config.dags.include, exclude: config.dags.exclude };

  const doc = new Document(out);
  // Short string lists read best on one line: `tags: [a, b]`.
  visit(doc, { Seq: (_, node) => { if (isSeq(node)) node.flow = true; } });
  const source = config.format === 'v1' ? '' : `# Converted from the role_mappings ${config.format === 'seed-python' ? 'literal in' : 'list in'} ${path.basename(config.file)}.\n`;
  return source + doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
