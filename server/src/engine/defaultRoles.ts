/** Airflow's default roles: defined in model/ so the sync (below the engine) uses the same lists. */
export * from '../model/defaultRoles';
