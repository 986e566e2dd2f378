/** Throw-away workspace folders for discovery and index tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function makeWorkspace(files: Record<string, string>): { root: string; write: (rel: string, text: string) => string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-index-'));
  const write = (rel: string, text: string): string => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, write, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export const DAG_FILE = (id: string, extra = ''): string => `from airflow import DAG\n${extra}with DAG("${id}"):\n    pass\n`;
