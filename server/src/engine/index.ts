/** Public API of the access engine (pure functions). */
export { versionAtLeast, compareVersions, patchGate } from './version';
export { DEFAULT_ROLES, defaultRolePermissions, globalDagActions, isDefaultRole, roleLists, type DefaultRoleName, type Permission } from './defaultRoles';
export { rolesForTag, isPermissionLikeTag, closestMappedTag, allMappedTags, configEntries, tagResolverOf, type TagRoleMatch, type TagGrant } from './tags';
export { computeDagAccess, dagIdOf, perDagResource, type DagAccessInput } from './dagAccess';
export {
  accessControlMode, accessControlEffect, existingRoles, readAccessControl, unknownRoleMessage, resourceActionsAt, whenAirflowReverts, RESOURCE_ACTIONS, DEPRECATED_ACTIONS,
  type AccessControlGrant, type AccessControlMode, type AccessControlRead, type ExistingRoles,
} from './accessControl';
export { isEventDelivered, consumerAccepts, producerAllows, assetSettings, assetDeliveryByKey } from './assetDelivery';
export type { DeliveryInput, DeliveryResult, AssetSettings, AssetProducer, AssetConsumer, AssetDeliveryReport, AssetDeliveryEdge } from './assetDelivery';
export { teamOfFile } from './teams';
export {
  loadUsersText, hasMinimumRole, permissionTypeOf, minimumRole, isAuthorized, fileAuthDagOperations, fileAuthRoleActions,
  FILE_AUTH_ROLES, FILE_AUTH_LEVEL, FILE_AUTH_DAG_OPERATIONS,
} from './fileAuth';
export type { FileAuthRole, FileAuthUser, UsersFile, HttpMethod, FileAuthResource, FileAuthDagOperation } from './fileAuth';
export { formatDagAccessMarkdown, dagAccessToJson, describeProvenance, type ExplainOptions } from './explainFormat';
