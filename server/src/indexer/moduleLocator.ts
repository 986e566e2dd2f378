/**
 * Python module name → workspace file, the way imports work when Airflow puts the DAGs folder on
 * sys.path: relative imports from the importing file's package; absolute ones from the importing
 * file's folder and each folder above it up to the workspace root.
 */
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
