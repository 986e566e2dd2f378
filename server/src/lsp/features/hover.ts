/** Hover: tags, dag_ids, access_control roles/actions, assets and teams in DAG files; roles and tags in the config. */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import { isDefaultRole } from '../../engine/defaultRoles';
import { dynamicDagIdMessage } from '../../engine/unknownAccess';
import { assetOf } from '../../rules/crossTeamEvents';
import { ruleContextOf } from '../../rules/ruleContext';
import { assetMarkdown, dagAccessMarkdown, roleMarkdown, tagMarkdown } from '../../project/describe';
import { configSymbolAt, contains, symbolAt } from '../../project/locate';
import type { Project } from '../../project/project';
import type { Position } from '../../model/facts';
import type { ServerContext } from '../context';
import { uriToPath } from '../convert';
import { guard } from '../handler';

export function hoverMarkdown(project: Project, file: string, pos: Position): { markdown: string; range?: Hover['range'] } | null {
  if (project.isConfigFile(file)) {
    const config = project.config;
    const sym = config && configSymbolAt(config, pos);
    if (!sym) return null;
    if (sym.kind === 'role') return { markdown: roleMarkdown(project, sym.role), range: sym.role.nameRange };
    if (sym.kind === 'configTag') return { markdown: tagMarkdown(project, sym.tag), range: sym.range };
    return { markdown: `\`${sym.permission}\` on ${sym.resource === 'DAGs' ? 'DAG:<dag_id>' : 'DAG Run:<dag_id>'} for every DAG tagged for role \`${sym.role.name}\`.`, range: sym.range };
  }
  const facts = project.getFile(file);
  const sym = facts && symbolAt(facts, pos);
  if (!facts || !sym) return null;
  switch (sym.kind) {
    case 'tag': {
      const ref = sym.tag.via?.refRange;
      if (ref && contains(ref, pos)) {
        // On a constant's name: every tag it brings.
        const same = (sym.dag.tags?.items ?? []).filter((t) => t.via?.refRange && t.via.refRange.start.line === ref.start.line && t.via.refRange.start.character === ref.start.character);
        return { markdown: [...new Set(same.map((t) => t.value))].map((v) => tagMarkdown(project, v)).join('\n\n---\n\n'), range: ref };
      }
      return { markdown: tagMarkdown(project, sym.tag.value), range: sym.tag.range };
    }
    case 'dagId': {
      const access = project.dagAccess(file, sym.dag);
      // The same reason as the ADA013 diagnostic at this spot.
      if (sym.dag.dagId.kind === 'dynamic') return { markdown: dynamicDagIdMessage(sym.dag.dagId.reason), range: sym.dag.dagId.range };
      if (!access) return { markdown: 'The effective access of this DAG is unknown here.', range: sym.dag.dagId.range };
      return { markdown: dagAccessMarkdown(project, access), range: sym.dag.dagId.range };
    }
    case 'acRole': {
      const name = sym.role.role.value;
      const role = project.config?.roles.find((r) => r.name === name);
      const dbRoles = project.db.roleNames();
      // With a database Airflow's sync looks the role up in ab_role; a missing one fails the DAG's import.
      const missing = dbRoles && !dbRoles.has(name) ? "\n\n⛔ Not in the database's ab_role: Airflow's sync fails this DAG's import (\"that role does not exist\") until the role exists." : '';
      if (role) return { markdown: roleMarkdown(project, role) + missing, range: sym.role.role.range };
      if (isDefaultRole(name)) return { markdown: `**\`${name}\`** is one of Airflow's default roles.${name === 'Admin' ? ' Airflow never revokes Admin grants.' : ''}`, range: sym.role.role.range };
      const inDb = project.db.roleNames()?.has(name);
      return { markdown: `**\`${name}\`**: ${inDb ? 'a role of the metadata database (not in the config).' : 'unknown role (not in the config, not a default role): Airflow\'s sync fails this DAG\'s import ("that role does not exist").'}`, range: sym.role.role.range };
    }
    case 'acResource': {
      // Airflow 2.10's nested form: which per-DAG resource the actions under this key apply to.
      const name = sym.resource.value;
      const what =
        name === 'DAGs'
          ? '`DAG:<dag_id>`: can_read, can_edit and can_delete on the DAG itself'
          : name === 'DAG Runs'
            ? '`DAG Run:<dag_id>`: can_read, can_create, can_delete and menu_access on its runs (Airflow 2.10+)'
            : 'not a resource Airflow knows here (valid: "DAGs", "DAG Runs")';
      return { markdown: `**\`${name}\`** for role \`${sym.role.role.value}\` — ${what}.`, range: sym.resource.range };
    }
    case 'acAction':
      return { markdown: `\`${sym.action.value}\` on ${sym.resource} for role \`${sym.role.role.value}\`.`, range: sym.action.range };
    case 'assetRef': {
      if (!sym.ref.key) return null;
      return { markdown: assetMarkdown(project, sym.ref.key, assetOf(ruleContextOf(project), facts, sym.ref)), range: sym.ref.range };
    }
    case 'asset':
      return sym.asset.key ? { markdown: assetMarkdown(project, sym.asset.key, sym.asset), range: sym.asset.variable?.range ?? sym.asset.range } : null;
    case 'team': {
      const team = project.config?.teams.find((t) => t.name === sym.team.value);
      const text = team
        ? `**Team \`${team.name}\`** — paths: ${team.paths.map((p) => `\`${p}\``).join(', ') || '—'}${team.bundles.length ? ` · bundles: ${team.bundles.join(', ')}` : ''}`
        : `**Team \`${sym.team.value}\`** is not in the config's teams.`;
      return { markdown: text, range: sym.team.range };
    }
  }
}

export function registerHover(ctx: ServerContext): void {
  ctx.connection.onHover(
    guard(ctx.log, 'textDocument/hover', async (params): Promise<Hover | null> => {
      const file = uriToPath(params.textDocument.uri);
      const project = file ? await ctx.workspace.projectFor(params.textDocument.uri) : null;
      if (!file || !project) return null;
      const result = hoverMarkdown(project, file, params.position);
      if (!result) return null;
      // While the folder is still being indexed, counts of other DAGs and roles may grow.
      const partial = project.partialNote();
      const value = partial ? `${result.markdown}\n\n---\n\n_${partial}_` : result.markdown;
      return { contents: { kind: ctx.caps.markdown ? MarkupKind.Markdown : MarkupKind.PlainText, value }, range: result.range };
    }),
  );
}
