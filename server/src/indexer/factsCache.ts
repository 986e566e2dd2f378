/**
 * Optional on-disk cache of per-file facts, keyed by path + mtime + size + safe-mode flag, in one JSON
 * file per workspace folder and extractor version. A warm start of an unchanged workspace reads facts
 * without parsing. A corrupt or foreign cache file is ignored.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { FileFacts } from '../model/facts';
import { EXTRACTOR_VERSION } from './analyseFile';

export interface CacheEntry {
  mtimeMs: number;
  size: number;
  safeMode: boolean;
  facts: FileFacts;
}

interface CacheFile {
  extractor: number;
  root: string;
  entries: Record<string, CacheEntry>;
}

export class FactsCache {
  readonly file: string;

  constructor(cacheDir: string, private readonly root: string) {
    const hash = crypto.createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16);
    this.file = path.join(cacheDir, `facts-v${EXTRACTOR_VERSION}-${hash}.json`);
  }

  load(): Map<string, CacheEntry> {
    try {
      const data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as CacheFile;
      if (data.extractor !== EXTRACTOR_VERSION || data.root !== path.resolve(this.root) || typeof data.entries !== 'object') return new Map();
      return new Map(Object.entries(data.entries));
    } catch {
      return new Map();
    }
  }

  save(entries: Map<string, CacheEntry>): void {
    const data: CacheFile = { extractor: EXTRACTOR_VERSION, root: path.resolve(this.root), entries: Object.fromEntries(entries) };
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, this.file);
    } catch {
      // A read-only or full disk only costs the next start a re-parse.
    }
  }
}
