/**
 * computeDagAccess under the Keycloak and AWS auth managers: the answer lives in external policies, so
 * this shows no roles, only the authorization requests Airflow sends for the DAG (what a policy must match).
 *
 * Keycloak: apache/airflow `providers/keycloak/src/airflow/providers/keycloak/auth_manager/keycloak_auth_manager.py`,
 * `KeycloakAuthManager.is_authorized_dag` -> `_is_authorized(resource_type=KeycloakResource.DAG, resource_id=dag_id,
 * attributes={"dag_entity": ...})` -> `_get_payload`: a UMA ticket request for the permission `Dag#<METHOD>` with
 * the claims `resource_id` and `dag_entity` (`resources.py`: `KeycloakResource.DAG = "Dag"`).
 * AWS: `providers/amazon/src/airflow/providers/amazon/aws/auth_manager/aws_auth_manager.py`, `AwsAuthManager.is_authorized_dag`
 * -> `avp/facade.py` `is_authorized`: Amazon Verified Permissions `is_authorized` with the action
 * `Airflow::Action::"Dag.<METHOD>"` (`avp/entities.py` `get_action_id`), the resource `Airflow::Dag::"<dag_id>"`
 * and the context `dag_entity` (e.g. RUN to trigger).
 */
import type { AuthManagerAnswer, DagAccess } from '../model/access';
import type { AuthManagerKind } from '../model/config';
import { AUTH_MANAGER_LABEL } from '../model/authManagers';
import { accessControlMode } from './accessControl';
import { noEffectConflicts } from './authNoEffect';
import type { DagAccessInput } from './dagAccessInput';
import { dagIdOf } from './dagAccessInput';
import { DAG_OPERATIONS, OPERATION_REQUEST } from './simpleAuth';

export function externalDagRequests(authManager: 'keycloak' | 'aws', dagId: string): NonNullable<AuthManagerAnswer['requests']> {
  return DAG_OPERATIONS.map((operation) => {
    const { method, dagEntity } = OPERATION_REQUEST[operation];
    return authManager === 'keycloak'
      ? { operation, method, resourceType: 'Dag', resourceId: dagId, dagEntity, permission: `Dag#${method}` }
      : { operation, method, resourceType: 'Airflow::Dag', resourceId: dagId, dagEntity, permission: `Airflow::Action::"Dag.${method}"` };
  });
}

const DECIDED_BY: Record<'keycloak' | 'aws', string> = {
  keycloak: 'Keycloak authorization services (the policies and permissions of the Airflow client)',
  aws: 'Amazon Verified Permissions (the Cedar policies of the policy store)',
};

/**
 * What views of every DAG's access (the matrix, the tree) say under an auth manager that decides
 * outside Airflow's database: no role grants to show, which is not "nobody has access". Null when
 * the access is computed here (fab, file, simple).
 */
export function externalAccessNote(authManager: AuthManagerKind): string | null {
  if (authManager !== 'keycloak' && authManager !== 'aws') return null;
  return `DAG access is decided by the ${AUTH_MANAGER_LABEL[authManager]} in ${DECIDED_BY[authManager]}, not by roles in Airflow's database: who may do what with each DAG cannot be shown here. Explain a DAG to see the requests Airflow sends for it.`;
}

export function externalAuthDagAccess(input: DagAccessInput, version: string | null, authManager: 'keycloak' | 'aws'): DagAccess {
  const dagId = dagIdOf(input.dag);
  const answer: AuthManagerAnswer = {
    authManager,
    decidedBy: DECIDED_BY[authManager],
    requests: externalDagRequests(authManager, dagId),
  };
  return {
    dagId,
    roles: [],
    conflicts: noEffectConflicts(input, authManager),
    summary: { canRead: 0, canEdit: 0, canDelete: 0, nonAdminReachable: false, perDagRoles: 0 },
    airflowVersion: version,
    authManager,
    authAnswer: answer,
    accessControlMode: accessControlMode(input.dag.accessControl),
  };
}
