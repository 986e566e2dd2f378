/** Public API of the role-mapping config module. */
export { loadConfigText, loadConfigFile, loadConfigFileAsync, findConfigFile, CONFIG_FILE_NAMES, isPythonConfig, type LoadOptions } from './load';
export { loadSeedPythonText, SEED_VARIABLE } from './seedPython';
export { configToV1Yaml } from './toV1Yaml';
export { configSchemaV1, configJsonSchema, compileTagPattern, DAG_ACTIONS, DAG_RUN_ACTIONS, ROLE_NAME_MAX, TAG_MAX, type ConfigV1 } from './schema';
export { closestMatch, editDistance, didYouMeanSuffix } from './didYouMean';
