/**
 * Airflow 3's simple auth manager (the default one): four global roles, no per-DAG permissions.
 *
 * Modelled on apache/airflow `airflow-core/src/airflow/api_fastapi/auth/managers/simple/simple_auth_manager.py`:
 * - `SimpleAuthManagerRole`: VIEWER (order 0) < USER (1) < OP (2) < ADMIN (3); a role covers every lower one.
 * - `SimpleAuthManager.is_authorized_dag` calls `_is_authorized(allow_get_role=VIEWER, allow_role=USER)`:
 *   a GET needs viewer, any other method needs user; `access_entity` (runs, task instances...) and the
 *   DAG's id are not looked at, so the answer is the same for every DAG.
 * - `_is_authorized`: ADMIN is always allowed; GET compares with `allow_get_role`, other methods with `allow_role`.
 * - `SimpleAuthManager.get_users`: `[core] simple_auth_manager_users`, a comma-separated list of
 *   `username:role` (newer versions accept `username:role:team1|team2`); the role is looked up upper-cased.
 * - `[core] simple_auth_manager_all_admins`: no login, everyone is an anonymous ADMIN
 *   (`services/login.py`, `SimpleAuthManagerLogin._create_anonymous_admin_user`).
 * The method of each DAG operation comes from the API routes (`core_api/routes/public/dags.py`: GET to
 * read, PUT for `patch_dag` (pause / update), DELETE for `delete_dag`; `dag_run.py` `trigger_dag_run`:
 * POST with `DagAccessEntity.RUN`).
 */
import type { DagOperation, SimpleRole } from '../model/access';
import type { Range } from '../model/facts';

export const SIMPLE_ROLES: readonly SimpleRole[] = ['viewer', 'user', 'op', 'admin'];
const ORDER: Record<SimpleRole, number> = { viewer: 0, user: 1, op: 2, admin: 3 };

export const DAG_OPERATIONS: readonly DagOperation[] = ['read', 'trigger', 'edit', 'delete'];
/** The HTTP method (auth manager ResourceMethod) and DAG access entity Airflow checks for each operation. */
export const OPERATION_REQUEST: Record<DagOperation, { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; dagEntity: string | null }> = {
  read: { method: 'GET', dagEntity: null },
  trigger: { method: 'POST', dagEntity: 'RUN' },
  edit: { method: 'PUT', dagEntity: null },
  delete: { method: 'DELETE', dagEntity: null },
};

/** `_is_authorized` as `is_authorized_dag` calls it. */
export function simpleAuthorizedDag(role: SimpleRole, method: string): boolean {
  if (role === 'admin') return true;
  const needed: SimpleRole = method === 'GET' ? 'viewer' : 'user';
  return ORDER[role] >= ORDER[needed];
}

export function simpleDagOperations(role: SimpleRole): Record<DagOperation, boolean> {
  const out = {} as Record<DagOperation, boolean>;
  for (const op of DAG_OPERATIONS) out[op] = simpleAuthorizedDag(role, OPERATION_REQUEST[op].method);
  return out;
}

export interface SimpleUser {
  username: string;
  role: SimpleRole;
  teams: string[];
}

export interface SimpleUsersSource {
  kind: 'env' | 'airflow.cfg';
  /** The environment variable or `[core] simple_auth_manager_users`. */
  name: string;
  file?: string;
  range?: Range;
}

export interface SimpleUsers {
  users: SimpleUser[];
  /** null: no `simple_auth_manager_users` found in the workspace (Airflow then uses its default, admin:admin). */
  source: SimpleUsersSource | null;
  allAdmins: boolean;
  /** Entries Airflow could not use (no role, unknown role), as written. */
  invalid: { entry: string; reason: string }[];
}

export const USERS_ENV = 'AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS';
export const ALL_ADMINS_ENV = 'AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS';

/** Parse the value of `simple_auth_manager_users` ("bob:admin,peter:viewer" or "bob:admin:team1|team2"). */
export function parseSimpleUsers(value: string): { users: SimpleUser[]; invalid: SimpleUsers['invalid'] } {
  const users: SimpleUser[] = [];
  const invalid: SimpleUsers['invalid'] = [];
  for (const raw of unquote(value).split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [username, role, teams] = entry.split(':').map((p) => p.trim());
    if (!username || role === undefined || role === '') {
      invalid.push({ entry, reason: 'expected username:role' });
      continue;
    }
    const r = role.toLowerCase() as SimpleRole;
    if (!SIMPLE_ROLES.includes(r)) {
      invalid.push({ entry, reason: `unknown role '${role}' (viewer, user, op, admin)` });
      continue;
    }
    users.push({ username, role: r, teams: teams ? teams.split('|').map((t) => t.trim()).filter(Boolean) : [] });
  }
  return { users, invalid };
}

/** configparser's booleans. */
export function parseBool(value: string | undefined): boolean {
  return ['1', 'yes', 'true', 'on'].includes(unquote(value ?? '').trim().toLowerCase());
}

function unquote(v: string): string {
  const t = v.trim();
  return t.length >= 2 && (t[0] === '"' || t[0] === "'") && t[t.length - 1] === t[0] ? t.slice(1, -1) : t;
}

export interface CfgValue {
  value: string;
  range: Range;
}

/** `[section] key` values of an airflow.cfg (configparser syntax: `key = value` or `key: value`, indented continuation lines, # and ; comments). */
export function readCfgValues(text: string, section: string, keys: readonly string[]): Map<string, CfgValue> {
  const out = new Map<string, CfgValue>();
  const lines = text.split(/\r?\n/);
  let current = '';
  let last: { key: string; value: CfgValue } | null = null;
  lines.forEach((line, i) => {
    if (/^\s*[#;]/.test(line) || !line.trim()) {
      if (!line.trim()) last = null;
      return;
    }
    const head = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (head) {
      current = head[1].trim().toLowerCase();
      last = null;
      return;
    }
    if (/^\s/.test(line) && last) {
      last.value.value += `\n${line.trim()}`;
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s?(.*)$/.exec(line);
    if (!kv || current !== section) {
      last = null;
      return;
    }
    const key = kv[1].trim().toLowerCase();
    if (!keys.includes(key)) {
      last = null;
      return;
    }
    const start = line.length - kv[2].length;
    const value = { value: kv[2].trim(), range: { start: { line: i, character: start }, end: { line: i, character: line.length } } };
    out.set(key, value);
    last = { key, value };
  });
  return out;
}

/**
 * The users Airflow would read: the environment variable wins over airflow.cfg (Airflow's own precedence),
 * then `airflow.cfg` (the first of `cfgFiles` that exists and sets the key).
 */
export function resolveSimpleUsers(env: NodeJS.ProcessEnv, cfgFiles: { file: string; text: string }[]): SimpleUsers {
  const cfgs = cfgFiles.map((c) => ({ file: c.file, values: readCfgValues(c.text, 'core', ['simple_auth_manager_users', 'simple_auth_manager_all_admins']) }));
  const allAdminsCfg = cfgs.find((c) => c.values.has('simple_auth_manager_all_admins'))?.values.get('simple_auth_manager_all_admins');
  const allAdmins = env[ALL_ADMINS_ENV] !== undefined ? parseBool(env[ALL_ADMINS_ENV]) : parseBool(allAdminsCfg?.value);
  const fromEnv = env[USERS_ENV];
  if (fromEnv !== undefined) return { ...parseSimpleUsers(fromEnv), source: { kind: 'env', name: USERS_ENV }, allAdmins };
  const cfg = cfgs.find((c) => c.values.has('simple_auth_manager_users'));
  if (cfg) {
    const v = cfg.values.get('simple_auth_manager_users')!;
    return { ...parseSimpleUsers(v.value), source: { kind: 'airflow.cfg', name: '[core] simple_auth_manager_users', file: cfg.file, range: v.range }, allAdmins };
  }
  return { users: [], invalid: [], source: null, allAdmins };
}
