/**
 * Finding an existing MWAA-style sync DAG to use as the config when a workspace has no
 * airflow-access.yaml: the first DAG file (by path) with a module-level `role_mappings = [...]`.
 * A text test, not a parse: the loader parses the file it picks and reports any problem located.
 */
import * as fs from 'fs';
import { discoverFiles, type DiscoveryOptions } from '../indexer/discovery';
import { SEED_VARIABLE } from '../config/seedPython';

/** `role_mappings = [` / `role_mappings: list = [` at the start of a line (module level). */
const ASSIGNMENT = new RegExp(`^${SEED_VARIABLE}\\s*(?::[^=\\n]*)?=\\s*[[(]`, 'm');

export function definesRoleMappings(text: string): boolean {
  return text.includes(SEED_VARIABLE) && ASSIGNMENT.test(text);
}

export interface SeedDagDiscovery {
  /** The file used, or null. */
  file: string | null;
  /** Every file that defines role_mappings, sorted (the first is used). */
  candidates: string[];
}

export async function discoverSeedDag(opts: DiscoveryOptions): Promise<SeedDagDiscovery> {
  const { files } = await discoverFiles(opts);
  const candidates: string[] = [];
  for (const f of files) {
    // A sync DAG is a small file: skip the big ones without reading them.
    if (f.size > 1_000_000) continue;
    const text = await fs.promises.readFile(f.file, 'utf8').catch(() => '');
    if (definesRoleMappings(text)) candidates.push(f.file);
  }
  return { file: candidates[0] ?? null, candidates };
}
