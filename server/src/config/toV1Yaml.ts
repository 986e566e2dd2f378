/**
 * AccessConfig -> v1 YAML text. The one converter behind `airflow-access migrate-config` and the
 * editor's "convert to v1" code action. From a seed config every value whose default differs between
 * formats (cleanup: the seed defaults do_cleanup to true, v1 to false; base_role) is written
 * explicitly, with comments on what changed in meaning. Loading the output gives back the same roles,
 * in the same order.
 */
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, visit, type YAMLMap } from 'yaml';
import type { AccessConfig } from '../model/config';

export function configToV1Yaml(config: AccessConfig): string {
  const out: Record<string, unknown> = { version: 1 };
  if (config.permissionTagPattern) out.permission_tag_pattern = config.permissionTagPattern.source;
  const airflow: Record<string, unknown> = {};
  if (config.airflow.version) airflow.version = config.airflow.version;
  airflow.auth_manager = config.airflow.authManager;
  if (config.airflow.multiTeam) airflow.multi_team = true;
  if (config.airflow.ignoreFileSyntax) airflow.dag_ignore_file_syntax = config.airflow.ignoreFileSyntax;
  out.airflow = airflow;

  const roles: Record<string, unknown> = {};
  for (const r of config.roles) {
    const role: Record<string, unknown> = {
      tags: unique(r.tags.map((t) => t.value)),
      dag_permissions: unique(r.dagPermissions.map((p) => p.value)),
    };
    if (r.dagRunPermissions.length) role.dag_run_permissions = unique(r.dagRunPermissions.map((p) => p.value));
    role.cleanup = r.cleanup;
    if (r.baseRole !== 'Viewer' || config.format !== 'v1') role.base_role = r.baseRole;
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
  if (config.format !== 'v1') explainSeedChanges(doc, config);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Comments on what a seed user must know: renamed keys and the places where the meaning changed. */
function explainSeedChanges(doc: Document, config: AccessConfig): void {
  doc.commentBefore = [
    ` Converted from the role_mappings ${config.format === 'seed-python' ? 'literal in' : 'list in'} ${path.basename(config.file)} by airflow-access migrate-config.`,
    ' Role names and their order are kept. Renamed: airflow_edit_tag -> tags, permissions -> dag_permissions,',
    ' do_cleanup -> cleanup. What changed in meaning:',
    ' - cleanup: the seed DAG first deleted every per-DAG grant of the role and then granted again (the role',
    '   had no DAG access in between); the sync revokes only the grants the tags no longer explain, in the',
    '   same transaction as the new grants. v1 defaults cleanup to false, so the seed\'s value is written out.',
    ' - base_role: the seed needed each role created by hand with the Viewer permissions copied in; the sync',
    '   creates a missing role itself, starting from base_role\'s permissions.',
    ' - tags are read from the DAGs Airflow lists as active (the seed also granted on DAGs whose file is gone),',
    '   and a tagged DAG without a "DAG:<dag_id>" resource yet gets one (the seed skipped such DAGs).',
  ].join('\n');
  const roles = doc.get('roles', true);
  if (!isMap(roles)) return;
  for (const pair of (roles as YAMLMap).items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const entries = config.roles.filter((r) => r.name === name).length;
    const body = pair.value;
    if (!isMap(body)) continue;
    for (const item of body.items) {
      const key = isScalar(item.key) ? String(item.key.value) : '';
      if (!isScalar(item.value)) continue;
      if (key === 'cleanup') item.value.comment = ' was do_cleanup';
      if (key === 'base_role') item.value.comment = ' new: a missing role is created from this role';
    }
    if (entries > 1 && isScalar(pair.key)) pair.key.commentBefore = ` ${name}: ${entries} role_mappings entries merged (tags and permissions joined)`;
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
