/**
 * The file-based auth manager (airflow-file-auth-manager): a users file maps each username to
 * viewer | editor | admin. Roles are hierarchical (viewer < editor < admin) and global: there are
 * no per-DAG permissions, so tag grants and access_control have no effect under it.
 * Authorization: GET is a read, POST / PUT / PATCH / DELETE are writes; reads need viewer, writes
 * need editor on DAG-side resources and admin on connections, variables, pools and configuration.
 */
import { z } from 'zod';
import type { Range } from '../model/facts';
import type { ConfigProblem } from '../model/config';
import { entryOf, locatePath, toPlain } from '../config/locatedValue';
import { readYaml } from '../config/yamlSource';
import { issuesToProblems } from '../config/zodIssues';

export const FILE_AUTH_ROLES = ['viewer', 'editor', 'admin'] as const;
export type FileAuthRole = (typeof FILE_AUTH_ROLES)[number];
export const FILE_AUTH_LEVEL: Record<FileAuthRole, number> = { viewer: 1, editor: 2, admin: 3 };

export interface FileAuthUser {
  username: string;
  role: FileAuthRole;
  range: Range;
}

export interface UsersFile {
  file: string;
  users: FileAuthUser[];
}

const usersSchema = z.object({
  users: z.array(z.looseObject({ username: z.string().min(1), role: z.enum(FILE_AUTH_ROLES) })).default([]),
});

/** Parse a users.yaml; bad entries are located problems and are skipped, the rest still load. */
export function loadUsersText(file: string, text: string): { users: UsersFile | null; problems: ConfigProblem[] } {
  const src = readYaml(text);
  const problems = [...src.problems];
  if (!src.root) return { users: null, problems };
  const fallback = src.positions.firstLine();
  const parsed = usersSchema.safeParse(toPlain(src.root));
  if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues, src.root, fallback));
  const list = entryOf(src.root, 'users')?.value;
  const users: FileAuthUser[] = [];
  const seen = new Map<string, FileAuthUser>();
  const items = list?.kind === 'seq' ? list.items : [];
  items.forEach((item, i) => {
    const one = usersSchema.shape.users.unwrap().element.safeParse(toPlain(item));
    if (!one.success) return;
    const user = { username: one.data.username, role: one.data.role, range: locatePath(src.root!, ['users', i, 'username']).node.range };
    const dup = seen.get(user.username);
    if (dup) problems.push({ code: 'duplicate-user', severity: 'warning', range: user.range, message: `User '${user.username}' is listed twice; which entry wins depends on the auth manager.` });
    seen.set(user.username, user);
    users.push(user);
  });
  return { users: { file, users }, problems };
}

export function hasMinimumRole(role: FileAuthRole, min: FileAuthRole): boolean {
  return FILE_AUTH_LEVEL[role] >= FILE_AUTH_LEVEL[min];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export function permissionTypeOf(method: HttpMethod): 'read' | 'write' {
  return method === 'GET' ? 'read' : 'write';
}

export type FileAuthResource = 'dag' | 'dag_run' | 'task_instance' | 'asset' | 'backfill' | 'connection' | 'variable' | 'pool' | 'configuration';
const ADMIN_WRITE: ReadonlySet<FileAuthResource> = new Set(['connection', 'variable', 'pool', 'configuration']);

/** Minimum role for a method on a resource. */
export function minimumRole(resource: FileAuthResource, method: HttpMethod): FileAuthRole {
  if (permissionTypeOf(method) === 'read') return 'viewer';
  return ADMIN_WRITE.has(resource) ? 'admin' : 'editor';
}

export function isAuthorized(resource: FileAuthResource, method: HttpMethod, role: FileAuthRole): boolean {
  return hasMinimumRole(role, minimumRole(resource, method));
}

/** What a file-auth role may do with any DAG (the same for every DAG). */
export const FILE_AUTH_DAG_OPERATIONS = {
  view: { resource: 'dag', method: 'GET' },
  trigger: { resource: 'dag_run', method: 'POST' },
  pause: { resource: 'dag', method: 'PATCH' },
  delete: { resource: 'dag', method: 'DELETE' },
} as const satisfies Record<string, { resource: FileAuthResource; method: HttpMethod }>;
export type FileAuthDagOperation = keyof typeof FILE_AUTH_DAG_OPERATIONS;

/** Usernames per DAG operation (view, trigger, pause, delete). */
export function fileAuthDagOperations(users: UsersFile | null): Record<FileAuthDagOperation, string[]> {
  const out = {} as Record<FileAuthDagOperation, string[]>;
  for (const [op, { resource, method }] of Object.entries(FILE_AUTH_DAG_OPERATIONS) as [FileAuthDagOperation, { resource: FileAuthResource; method: HttpMethod }][]) {
    out[op] = (users?.users ?? []).filter((u) => isAuthorized(resource, method, u.role)).map((u) => u.username);
  }
  return out;
}

/** DAG / DAG Run actions (FAB names) equivalent to each file-auth role, for the access table. */
export function fileAuthRoleActions(role: FileAuthRole): { dagActions: string[]; dagRunActions: string[] } {
  return role === 'viewer'
    ? { dagActions: ['can_read'], dagRunActions: ['can_read'] }
    : { dagActions: ['can_read', 'can_edit', 'can_delete'], dagRunActions: ['can_read', 'can_create', 'can_edit', 'can_delete'] };
}
