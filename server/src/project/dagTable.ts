/**
 * Lookups over every indexed file of a folder (DAGs by id and by tag, access_control roles, asset
 * producers and consumers), kept up to date per changed file. A keystroke re-indexes one file, and
 * the rules and hovers that ask "which other DAGs..." then cost a map lookup instead of a walk over
 * the whole workspace. Pure: fed with the index's resolved facts.
 */
import type { AssetFact, AssetRefFact, DagFact, FileFacts } from '../model/facts';

export interface DagRef {
  file: string;
  dag: DagFact;
}

export interface AssetSide {
  file: string;
  dag: DagFact;
  ref: AssetRefFact;
  /** Task id of the producing task (outlets only). */
  taskId?: string | null;
}

/** key -> file -> entries: removing a file's entries never scans the other files. */
class MultiMap<T> {
  private readonly map = new Map<string, Map<string, T[]>>();

  add(key: string, file: string, value: T): void {
    let byFile = this.map.get(key);
    if (!byFile) this.map.set(key, (byFile = new Map()));
    const list = byFile.get(file);
    if (list) list.push(value);
    else byFile.set(file, [value]);
  }

  removeFile(keys: Iterable<string>, file: string): void {
    for (const key of keys) {
      const byFile = this.map.get(key);
      if (!byFile) continue;
      byFile.delete(file);
      if (!byFile.size) this.map.delete(key);
    }
  }

  get(key: string): T[] {
    const byFile = this.map.get(key);
    if (!byFile) return [];
    const out: T[] = [];
    for (const list of byFile.values()) out.push(...list);
    return out;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  clear(): void {
    this.map.clear();
  }
}

interface FileKeys {
  ids: string[];
  tags: string[];
  roles: string[];
  consumed: string[];
  produced: string[];
  assets: string[];
}

const NO_KEYS: FileKeys = { ids: [], tags: [], roles: [], consumed: [], produced: [], assets: [] };

export class DagTable {
  private readonly files = new Map<string, FileFacts>();
  private readonly keys = new Map<string, FileKeys>();
  private readonly byId = new MultiMap<DagRef>();
  private readonly byTag = new MultiMap<DagRef>();
  private readonly byRole = new MultiMap<DagRef>();
  private readonly consumers = new MultiMap<AssetSide>();
  private readonly producers = new MultiMap<AssetSide>();
  private readonly assets = new MultiMap<{ file: string; asset: AssetFact }>();
  private dags = 0;
  private sorted: FileFacts[] | null = null;

  /** Replace everything with `all` (after a scan). */
  reset(all: Iterable<FileFacts>): void {
    this.files.clear();
    this.keys.clear();
    for (const m of [this.byId, this.byTag, this.byRole, this.consumers, this.producers, this.assets]) m.clear();
    this.dags = 0;
    this.sorted = null;
    for (const f of all) this.add(f);
  }

  /** Replace the entries of one file; `facts` undefined removes it. */
  update(file: string, facts: FileFacts | undefined): void {
    this.remove(file);
    if (facts) this.add(facts);
  }

  private remove(file: string): void {
    const old = this.files.get(file);
    if (!old) return;
    const k = this.keys.get(file) ?? NO_KEYS;
    this.byId.removeFile(k.ids, file);
    this.byTag.removeFile(k.tags, file);
    this.byRole.removeFile(k.roles, file);
    this.consumers.removeFile(k.consumed, file);
    this.producers.removeFile(k.produced, file);
    this.assets.removeFile(k.assets, file);
    this.dags -= old.dags.length;
    this.files.delete(file);
    this.keys.delete(file);
    this.sorted = null;
  }

  private add(f: FileFacts): void {
    const file = f.file;
    const k: FileKeys = { ids: [], tags: [], roles: [], consumed: [], produced: [], assets: [] };
    for (const dag of f.dags) {
      const ref = { file, dag };
      if (dag.dagId.kind === 'static') this.put(this.byId, k.ids, dag.dagId.value, file, ref);
      for (const tag of new Set(dag.tags?.items.map((t) => t.value) ?? [])) this.put(this.byTag, k.tags, tag, file, ref);
      for (const role of new Set(dag.accessControl?.roles.map((r) => r.role.value) ?? [])) this.put(this.byRole, k.roles, role, file, ref);
      for (const r of dag.schedule) if (r.key !== null) this.put(this.consumers, k.consumed, r.key, file, { file, dag, ref: r });
      for (const p of dag.producers) {
        for (const r of p.outlets) if (r.key !== null) this.put(this.producers, k.produced, r.key, file, { file, dag, ref: r, taskId: p.taskId });
      }
    }
    for (const a of f.assets) if (a.key !== null) this.put(this.assets, k.assets, a.key, file, { file, asset: a });
    this.files.set(file, f);
    this.keys.set(file, k);
    this.dags += f.dags.length;
    this.sorted = null;
  }

  private put<T>(map: MultiMap<T>, keys: string[], key: string, file: string, value: T): void {
    if (!keys.includes(key)) keys.push(key);
    map.add(key, file, value);
  }

  get fileCount(): number {
    return this.files.size;
  }

  get dagCount(): number {
    return this.dags;
  }

  /** Every file, sorted by path (built once per change, on demand). */
  allFiles(): FileFacts[] {
    this.sorted ??= [...this.files.keys()].sort().map((f) => this.files.get(f)!);
    return this.sorted;
  }

  dagsWithId(id: string): DagRef[] {
    return this.byId.get(id);
  }

  dagsWithTag(tag: string): DagRef[] {
    return this.byTag.get(tag);
  }

  /** Every tag some DAG of the workspace carries. */
  tags(): string[] {
    return [...this.byTag.keys()];
  }

  hasTag(tag: string): boolean {
    return this.byTag.has(tag);
  }

  /** DAGs whose access_control names `role`. */
  dagsWithRole(role: string): DagRef[] {
    return this.byRole.get(role);
  }

  consumersOf(key: string): AssetSide[] {
    return this.consumers.get(key);
  }

  producersOf(key: string): AssetSide[] {
    return this.producers.get(key);
  }

  /** Asset(...) definitions with this key, with their files. */
  assetsWithKey(key: string): { file: string; asset: AssetFact }[] {
    return this.assets.get(key);
  }

  /** The file an Asset(...) definition belongs to (looked up by its key, then its identity or range). */
  fileOfAsset(asset: AssetFact): string | null {
    if (asset.key === null) return null;
    const same = this.assets.get(asset.key);
    const hit = same.find((x) => x.asset === asset) ?? same.find((x) => sameRange(x.asset.range, asset.range));
    return hit?.file ?? null;
  }
}

function sameRange(a: AssetFact['range'], b: AssetFact['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
