/** Airflow version comparisons: they live in model/ so the config layer can use them too. */
export { compareVersions, versionAtLeast } from '../model/airflowVersion';
