/**
 * The answer of the simple / Keycloak / AWS auth managers (model/access.ts AuthManagerAnswer) as Markdown
 * (hover, `explain --format md`), plain text (`explain`) and JSON (`explain --json`, field `authAnswer`).
 */
import type { AuthManagerAnswer, DagOperation } from '../model/access';
import { AUTH_MANAGER_LABEL } from './authNoEffect';
import { DAG_OPERATIONS } from './simpleAuth';

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
const mdCell = (s: string) => s.replace(/\|/g, '\\|');

function sourceText(a: AuthManagerAnswer, rel: (file: string) => string): string {
  if (a.allAdmins) return 'simple_auth_manager_all_admins is on';
  const s = a.usersSource;
  if (!s) return 'no simple_auth_manager_users in the workspace (airflow.cfg) or the environment; Airflow defaults to admin:admin';
  return s.kind === 'env' ? `users from ${s.name}` : `users from ${rel(s.file ?? 'airflow.cfg')}${s.range ? `:${s.range.start.line + 1}` : ''}`;
}

const allowed = (ops: Record<DagOperation, boolean>) => DAG_OPERATIONS.filter((o) => ops[o]);

export function authAnswerMarkdown(a: AuthManagerAnswer, rel: (file: string) => string = (f) => f): string[] {
  const label = cap(AUTH_MANAGER_LABEL[a.authManager]);
  if (a.authManager === 'simple') {
    const lines = [`**${label}**: ${a.decidedBy} (${sourceText(a, rel)}). Tags and access_control have no effect.`, '', '| Role | read | trigger | edit | delete | Users |', '|---|---|---|---|---|---|'];
    for (const r of a.roles ?? []) {
      lines.push(`| ${r.role} | ${DAG_OPERATIONS.map((o) => (r.operations[o] ? '✓' : '—')).join(' | ')} | ${mdCell(r.users.join(', ')) || '—'} |`);
    }
    if (a.users?.length) {
      lines.push('', '| User | Role | Can |', '|---|---|---|');
      for (const u of a.users) lines.push(`| ${mdCell(u.username)} | ${u.role}${u.teams.length ? ` (teams: ${mdCell(u.teams.join(', '))})` : ''} | ${allowed(u.operations).join(', ') || '—'} |`);
    }
    for (const bad of a.invalidUsers ?? []) lines.push('', `⚠ Left out: \`${bad.entry}\`: ${bad.reason}.`);
    return lines;
  }
  const lines = [`**${label}**: DAG access is decided by ${a.decidedBy}, not by tags or access_control (they have no effect). For this DAG Airflow asks:`, ''];
  if (a.authManager === 'keycloak') {
    lines.push('| To | Permission | resource_id | dag_entity |', '|---|---|---|---|');
    for (const r of a.requests ?? []) lines.push(`| ${r.operation} | \`${r.permission}\` | \`${mdCell(r.resourceId)}\` | ${r.dagEntity ? `\`${r.dagEntity}\`` : '—'} |`);
  } else {
    lines.push('| To | Action | Resource | Context dag_entity |', '|---|---|---|---|');
    for (const r of a.requests ?? []) lines.push(`| ${r.operation} | \`${mdCell(r.permission)}\` | \`${r.resourceType}::"${mdCell(r.resourceId)}"\` | ${r.dagEntity ? `\`${r.dagEntity}\`` : '—'} |`);
  }
  return lines;
}

export function authAnswerText(a: AuthManagerAnswer, rel: (file: string) => string): string[] {
  const label = cap(AUTH_MANAGER_LABEL[a.authManager]);
  if (a.authManager === 'simple') {
    const lines = [`${label}: ${a.decidedBy} (${sourceText(a, rel)}). Tags and access_control have no effect.`];
    for (const r of a.roles ?? []) lines.push(`  role ${r.role.padEnd(6)}  ${allowed(r.operations).join(', ')}${r.users.length ? `  users: ${r.users.join(', ')}` : ''}`);
    for (const u of a.users ?? []) lines.push(`  user ${u.username} (${u.role}${u.teams.length ? `, teams ${u.teams.join('|')}` : ''}): ${allowed(u.operations).join(', ')}`);
    for (const bad of a.invalidUsers ?? []) lines.push(`  left out: ${bad.entry}: ${bad.reason}`);
    return lines;
  }
  const lines = [`${label}: DAG access is decided by ${a.decidedBy}; tags and access_control have no effect. For this DAG Airflow asks:`];
  for (const r of a.requests ?? []) {
    const entity = r.dagEntity ? `, dag_entity ${r.dagEntity}` : '';
    lines.push(a.authManager === 'keycloak'
      ? `  ${r.operation.padEnd(7)}  ${r.permission}  resource_id ${r.resourceId}${entity}`
      : `  ${r.operation.padEnd(7)}  ${r.permission}  on ${r.resourceType}::"${r.resourceId}"${entity}`);
  }
  return lines;
}

export function authAnswerJson(a: AuthManagerAnswer, rel: (file: string) => string = (f) => f): Record<string, unknown> {
  const source = a.usersSource
    ? { kind: a.usersSource.kind, name: a.usersSource.name, ...(a.usersSource.file ? { file: rel(a.usersSource.file), line: (a.usersSource.range?.start.line ?? 0) + 1 } : {}) }
    : null;
  return {
    authManager: a.authManager,
    decidedBy: a.decidedBy,
    ...(a.authManager === 'simple'
      ? {
          allAdmins: !!a.allAdmins,
          usersSource: source,
          roles: (a.roles ?? []).map((r) => ({ role: r.role, ...r.operations, users: [...r.users] })),
          users: (a.users ?? []).map((u) => ({ username: u.username, role: u.role, teams: [...u.teams], ...u.operations })),
          invalidUsers: (a.invalidUsers ?? []).map((u) => ({ ...u })),
        }
      : { requests: (a.requests ?? []).map((r) => ({ ...r })) }),
  };
}
