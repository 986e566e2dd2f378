/**
 * The users an auth manager reads, found in the workspace: users.yaml for the file auth manager
 * (`users_file`), `simple_auth_manager_users` for the simple one (environment variable, else an
 * airflow.cfg at the workspace root or beside the config). Read when the config (re)loads.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { AccessConfig } from '../model/config';
import { loadUsersText, type UsersFile } from '../engine/fileAuth';
import { resolveSimpleUsers, type SimpleUsers } from '../engine/simpleAuth';

export interface AuthUsers {
  fileUsers: UsersFile | null;
  simpleUsers: SimpleUsers | null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** airflow.cfg files that may hold the settings, in the order they are consulted. */
export function airflowCfgCandidates(root: string, config: AccessConfig | null): string[] {
  const out = [path.join(root, 'airflow.cfg')];
  if (config) out.push(path.join(path.dirname(config.file), 'airflow.cfg'));
  return [...new Set(out.map((f) => path.resolve(f)))];
}

export function loadAuthUsers(root: string, config: AccessConfig | null, env: NodeJS.ProcessEnv): AuthUsers {
  const kind = config?.airflow.authManager;
  let fileUsers: UsersFile | null = null;
  if (kind === 'file' && config?.usersFile) {
    const text = readText(config.usersFile);
    if (text !== null) fileUsers = loadUsersText(config.usersFile, text).users;
  }
  let simpleUsers: SimpleUsers | null = null;
  if (kind === 'simple') {
    const cfgs = airflowCfgCandidates(root, config).flatMap((file) => {
      const text = readText(file);
      return text === null ? [] : [{ file, text }];
    });
    simpleUsers = resolveSimpleUsers(env, cfgs);
  }
  return { fileUsers, simpleUsers };
}
