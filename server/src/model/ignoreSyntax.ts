/**
 * Which syntax Airflow reads `.airflowignore` lines in: `[core] dag_ignore_file_syntax`, `regexp` or `glob`.
 * Its default changed with Airflow 3 (apache/airflow PR #42436):
 * - Airflow 2.3 to 2.x: default `regexp` (airflow/config_templates/config.yml, `dag_ignore_file_syntax`;
 *   airflow/utils/file.py `find_path_from_directory` dispatches to `_RegexpIgnoreRule` / `_GlobIgnoreRule`).
 *   Before 2.3 the option does not exist and the lines are regexps.
 * - Airflow 3.x: default `glob` (airflow-core/src/airflow/config_templates/config.yml; airflow-core/src/
 *   airflow/utils/file.py `find_dag_file_paths` reads the option with fallback "glob" and calls
 *   shared/module_loading/src/airflow_shared/module_loading/file_discovery.py `find_path_from_directory`).
 *
 * The editor picks: the config's `airflow.dag_ignore_file_syntax`, else the environment's
 * AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX, else the default of the Airflow version in effect (setting,
 * config, database). With no version known it assumes `regexp` (unlike other version rules, which
 * assume the latest Airflow): a glob file read as regexps fails loudly (ADA092 on `*.py`), whereas a
 * regexp file read as globs silently ignores nothing; the ADA092 message then says how to choose.
 */
import { compareVersions } from './airflowVersion';

export type IgnoreSyntax = 'regexp' | 'glob';

export const IGNORE_SYNTAXES: readonly IgnoreSyntax[] = ['regexp', 'glob'];

export const IGNORE_SYNTAX_ENV = 'AIRFLOW__CORE__DAG_IGNORE_FILE_SYNTAX';

export interface IgnoreSyntaxChoice {
  syntax: IgnoreSyntax;
  /** Where it came from; 'assumed' when nothing decides it (no setting, no version). */
  source: 'config' | 'environment' | 'version' | 'assumed';
}

export function ignoreSyntaxFor(explicit: IgnoreSyntax | null | undefined, env: string | undefined, version: string | null): IgnoreSyntaxChoice {
  if (explicit) return { syntax: explicit, source: 'config' };
  const fromEnv = env?.trim().toLowerCase();
  if (fromEnv === 'regexp' || fromEnv === 'glob') return { syntax: fromEnv, source: 'environment' };
  if (version) return { syntax: compareVersions(version, '3') >= 0 ? 'glob' : 'regexp', source: 'version' };
  return { syntax: 'regexp', source: 'assumed' };
}

/** Added to the message of a line that does not compile when the syntax was assumed. */
export const ASSUMED_SYNTAX_NOTE =
  'read as a regexp because no Airflow version is known, while Airflow 3 reads .airflowignore as glob by default: set airflow.version or airflow.dag_ignore_file_syntax in the config';
