/**
 * Python module name → workspace file, the way imports work when Airflow puts the DAGs folder on
 * sys.path: relative imports from the importing file's package; absolute ones from the importing
 * file's folder and each folder above it up to the workspace root.
 */
import * as fs from 'fs';
import * as path from 'path';

export type Exists = (file: string) => boolean;

export function locateModule(module: string, fromFile: string, root: string, exists: Exists): string | null {
  const dots = /^\.*/.exec(module)![0].length;
  const name = module.slice(dots);
  if (!dots && (name === 'airflow' || name.startsWith('airflow.'))) return null;
  const rel = name ? name.split('.').join(path.sep) : '';
  const tryDir = (dir: string): string | null => {
    const candidates = rel ? [path.join(dir, `${rel}.py`), path.join(dir, rel, '__init__.py')] : [path.join(dir, '__init__.py')];
    for (const c of candidates) if (exists(c)) return c;
    return null;
  };
  if (dots) {
    let base = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    return tryDir(base);
  }
  const top = path.resolve(root);
  for (let dir = path.dirname(path.resolve(fromFile)); ; dir = path.dirname(dir)) {
    const hit = tryDir(dir);
    if (hit) return hit;
    const inside = !path.relative(top, dir).startsWith('..');
    if (dir === top || !inside || path.dirname(dir) === dir) break;
  }
  return tryDir(top);
}

/**
 * Memoised `locateModule` for one workspace: answers per (importing folder, module), since most files
 * of a folder import the same modules. `known` files count as existing without touching the disk.
 * Call `forget` when files are created or deleted.
 */
export class ModuleLocations {
  private readonly exists = new Map<string, boolean>();
  private readonly located = new Map<string, string | null>();

  constructor(private readonly root: string, private readonly known: (file: string) => boolean) {}

  private fileExists(p: string): boolean {
    let e = this.exists.get(p);
    if (e === undefined) {
      e = this.known(p) || fs.existsSync(p);
      this.exists.set(p, e);
    }
    return e;
  }

  locate(module: string, fromFile: string): string | null {
    const key = `${path.dirname(fromFile)}\0${module}`;
    let hit = this.located.get(key);
    if (hit === undefined) {
      hit = locateModule(module, fromFile, this.root, (p) => this.fileExists(p));
      this.located.set(key, hit);
    }
    return hit;
  }

  forget(): void {
    this.exists.clear();
    this.located.clear();
  }
}
