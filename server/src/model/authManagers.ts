/** The auth managers' names as messages say them (config, engine and rules share them). */
import type { AuthManagerKind } from './config';

export const AUTH_MANAGER_LABEL: Record<AuthManagerKind, string> = {
  fab: 'FAB auth manager',
  file: 'file auth manager',
  simple: 'simple auth manager',
  keycloak: 'Keycloak auth manager',
  aws: 'AWS auth manager',
};
