/** Reads the extension manifest and other repository files for the client's manifest tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../helpers/paths';

export { repoRoot };

export function readJson<T = any>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, relative), 'utf8')) as T;
}

export function exists(relative: string): boolean {
  return fs.existsSync(path.join(repoRoot, relative.replace(/^\.\//, '')));
}

export const pkg = readJson('package.json');
