/**
 * Import targets: workspace modules that indexed files import but that discovery left out (ignored
 * files, files safe mode skipped, modules with no DAG). They are read in full (safe mode off: they
 * are only looked at for the values they export), from the on-disk cache when still fresh.
 */
import * as fs from 'fs';
import type { Parser } from 'web-tree-sitter';
import type { FileFacts } from '../model/facts';
import { analyseDisk } from './analyseFile';
import type { CacheEntry } from './factsCache';

export interface ImportTargetState {
  /** Facts of the indexed files (a skipped one does not count as read). */
  readonly raw: ReadonlyMap<string, FileFacts>;
  /** Modules read for imports; filled here. */
  readonly aux: Map<string, FileFacts>;
  /** Last seen stat of every file read; filled here. */
  readonly stats: Map<string, { mtimeMs: number; size: number }>;
  /** Module facts from the on-disk cache, used when the module's stat did not change. */
  readonly cachedModules: ReadonlyMap<string, CacheEntry>;
  locate(module: string, fromFile: string): string | null;
  parser(): Promise<Parser>;
}

/** Rounds of "modules imported by the modules just read" followed (re-exports of re-exports). */
const MAX_ROUNDS = 6;

/** Read the modules `files` import (and what those import); returns how many were parsed (not cached). */
export async function loadImportTargets(state: ImportTargetState, files: string[]): Promise<number> {
  let parsed = 0;
  let frontier = files;
  for (let round = 0; round < MAX_ROUNDS && frontier.length; round++) {
    const needed = neededModules(state, frontier);
    if (!needed.size) break;
    for (const m of needed) {
      const st = fs.statSync(m, { throwIfNoEntry: false });
      const hit = state.cachedModules.get(m);
      if (st && hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) state.aux.set(m, hit.facts);
      else {
        state.aux.set(m, analyseDisk(await state.parser(), m, { safeMode: false }));
        parsed++;
      }
      if (st) state.stats.set(m, { mtimeMs: st.mtimeMs, size: st.size });
    }
    frontier = [...needed];
  }
  return parsed;
}

/** Workspace modules imported by `frontier` that are neither read for imports nor indexed in full. */
function neededModules(state: ImportTargetState, frontier: string[]): Set<string> {
  const needed = new Set<string>();
  for (const f of frontier) {
    const facts = state.aux.get(f) ?? state.raw.get(f);
    for (const imp of facts?.imports ?? []) {
      if (imp.module === 'airflow' || imp.module.startsWith('airflow.')) continue;
      const mods = imp.symbol && imp.symbol !== '*' ? [imp.module, `${imp.module}${imp.module.endsWith('.') ? '' : '.'}${imp.symbol}`] : [imp.module];
      for (const m of mods) {
        const target = state.locate(m, f);
        if (!target || state.aux.has(target)) continue;
        const r = state.raw.get(target);
        if (!r || r.skipped) needed.add(target);
      }
    }
  }
  return needed;
}
