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

export function externalAuthDagAccess(input: DagAccessInput, version: string | null, authManager: 'keycloak' | 'aws'): DagAccess {
  const dagId = dagIdOf(input.dag);
  const answer: AuthManagerAnswer = {
    authManager,
    decidedBy: authManager === 'keycloak'
      ? 'Keycloak authorization services (the policies and permissions of the Airflow client)'
      : 'Amazon Verified Permissions (the Cedar policies of the policy store)',
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
