/** Airflow version comparisons: they live in model/ so the config and sync layers can use them too. */
export { compareVersions, patchGate, versionAtLeast } from '../model/airflowVersion';
