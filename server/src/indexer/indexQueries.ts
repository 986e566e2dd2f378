/** Workspace-wide views over resolved facts: duplicate dag_ids and the asset graph. */
import type { AssetFact, AssetRefFact, DagFact, FileFacts, ProducerFact } from '../model/facts';

export interface DagEntry {
  file: string;
  dag: DagFact;
}

export interface AssetNode {
  definitions: { file: string; asset: AssetFact }[];
  producers: { file: string; dagId: string | null; producer: ProducerFact; ref: AssetRefFact }[];
  consumers: { file: string; dagId: string | null; ref: AssetRefFact }[];
}

/** dag_ids defined more than once (Airflow refuses the later ones). Only DAGs that really exist count. */
export function duplicateDagIds(entries: DagEntry[]): Map<string, DagEntry[]> {
  const byId = new Map<string, DagEntry[]>();
  for (const e of entries) {
    if (e.dag.dagId.kind !== 'static' || !e.dag.instantiated) continue;
    const list = byId.get(e.dag.dagId.value) ?? [];
    list.push(e);
    byId.set(e.dag.dagId.value, list);
  }
  for (const [id, list] of byId) if (list.length < 2) byId.delete(id);
  return byId;
}

/**
 * Asset key → definitions, producers and consumers. `files`: indexed files (their DAGs count);
 * `modulesOnly`: modules read only for imports (their asset definitions count, not their DAGs).
 */
export function assetGraph(files: FileFacts[], modulesOnly: FileFacts[]): Map<string, AssetNode> {
  const g = new Map<string, AssetNode>();
  const node = (key: string): AssetNode => {
    let n = g.get(key);
    if (!n) g.set(key, (n = { definitions: [], producers: [], consumers: [] }));
    return n;
  };
  const indexed = new Set(files.map((f) => f.file));
  const sources = new Map<string, FileFacts>();
  for (const f of modulesOnly) sources.set(f.file, f);
  for (const f of files) sources.set(f.file, f);
  for (const f of sources.values()) {
    for (const asset of f.assets) if (asset.key !== null) node(asset.key).definitions.push({ file: f.file, asset });
    if (!indexed.has(f.file)) continue;
    for (const dag of f.dags) {
      const dagId = dag.dagId.kind === 'static' ? dag.dagId.value : null;
      for (const ref of dag.schedule) if (ref.key !== null) node(ref.key).consumers.push({ file: f.file, dagId, ref });
      for (const producer of dag.producers) for (const ref of producer.outlets) if (ref.key !== null) node(ref.key).producers.push({ file: f.file, dagId, producer, ref });
    }
  }
  return g;
}
