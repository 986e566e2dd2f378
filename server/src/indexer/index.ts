/** Public surface of the DAG indexer. */
export { WorkspaceIndex, type WorkspaceIndexOptions, type CancellationLike } from './workspaceIndex';
export { extractFileFacts } from './extractFileFacts';
export { discoverFiles, exclusionReason, passesSafeMode, type DiscoveryOptions, type DiscoveredFile } from './discovery';
export { factsToJson } from './json';
