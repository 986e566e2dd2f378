/**
 * What the access engine is asked about one DAG, shared by the FAB engine (dagAccess.ts) and the
 * file auth manager's (fileAuthAccess.ts) without either importing the other.
 */
import type { AccessConfig } from '../model/config';
import type { DagFact } from '../model/facts';
import type { DbDagGrant } from '../model/access';
import type { UsersFile } from './fileAuth';
import type { SimpleUsers } from './simpleAuth';

export interface DagAccessInput {
  dag: DagFact;
  /** File the DAG is defined in (absolute). */
  file: string;
  config: AccessConfig | null;
  dbGrants?: DbDagGrant[];
  users?: UsersFile | null;
  /** Users of the simple auth manager (simple_auth_manager_users), when the workspace says. */
  simpleUsers?: SimpleUsers | null;
  /**
   * Role names of the metadata database (ab_role) when one is connected. A role access_control
   * names must exist there; without a database, in the config or the default roles.
   */
  existingRoles?: ReadonlySet<string> | null;
  /** Airflow version to assume when it is not the config's (a setting, or the database's alembic_version). */
  airflowVersion?: string | null;
}

export function dagIdOf(dag: DagFact): string {
  return dag.dagId.kind === 'static' ? dag.dagId.value : '<dynamic dag_id>';
}
