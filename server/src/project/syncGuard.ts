/**
 * The sync writes FAB grants (ab_* tables). Only the FAB auth manager reads them: under file, simple,
 * keycloak or aws, plan / sync / drift refuse with one line instead of writing grants nothing reads.
 * The CLI's --force-fab still allows it (a migration to FAB in progress). Shared by the CLI and the server.
 */
import * as path from 'path';
import type { AccessConfig } from '../model/config';
import { AUTH_MANAGER_LABEL } from '../engine/authNoEffect';

/** 1-based line of `auth_manager:` in the config text, or null. */
function authManagerLine(text: string | null): number | null {
  if (!text) return null;
  const i = text.split(/\r?\n/).findIndex((l) => /^\s*auth_manager\s*:/.test(l));
  return i < 0 ? null : i + 1;
}

export const FORCE_FAB_FLAG = '--force-fab';

/** The refusal line, or null when the auth manager is FAB. `displayFile` names the config as the user sees it. */
export function nonFabSyncRefusal(config: AccessConfig, configText: string | null, displayFile = path.basename(config.file), how = `pass ${FORCE_FAB_FLAG} to plan and sync FAB grants anyway (a migration to FAB in progress)`): string | null {
  const am = config.airflow.authManager;
  if (am === 'fab') return null;
  const line = authManagerLine(configText);
  return `airflow.auth_manager is '${am}' (${displayFile}${line ? `:${line}` : ''}): Airflow reads no FAB grants under the ${AUTH_MANAGER_LABEL[am]}, so nothing is planned or written; ${how}.`;
}
