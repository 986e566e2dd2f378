/**
 * How to run this CLI again from the current directory, for hints such as "Try: ... plan ...".
 * `airflow-access` only when that name on PATH is this very file (an installed or linked package);
 * in a clone it is `node dist/cli.js` (the path as seen from the current directory).
 */
import * as fs from 'fs';
import * as path from 'path';

export function selfCommand(env: NodeJS.ProcessEnv, cwd: string, script: string | undefined = process.argv[1]): string {
  if (!script) return 'airflow-access';
  const self = realpath(path.resolve(cwd, script));
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(path.resolve(cwd, dir), 'airflow-access');
    if (fs.existsSync(candidate) && realpath(candidate) === self) return 'airflow-access';
  }
  const rel = path.relative(cwd, path.resolve(cwd, script));
  const shown = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(cwd, script);
  return `node ${shellWord(shown.split(path.sep).join('/'))}`;
}

/** A path as one shell word (quoted only when it needs it). */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
