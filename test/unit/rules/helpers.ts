import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Project } from '../../../server/src/project/project';
import { parseSettings } from '../../../server/src/settings';
import { runConfigRules, runRules } from '../../../server/src/rules';
import type { Finding } from '../../../server/src/model/findings';

/** The smallest config most access tests start from: Airflow 2.10, one role `sales` mapped by `sales_edit`. */
export const SALES_CONFIG = `version: 1
airflow:
  version: "2.10"
roles:
  sales:
    tags: [sales_edit]
    dag_permissions: [can_read, can_edit]
`;

/** SALES_CONFIG after a permission_tag_pattern line, plus a read-only role `audit`. */
export const CONFIG = `permission_tag_pattern: "_(read|edit)$"
${SALES_CONFIG}  audit:
    tags: [audit_read]
    dag_permissions: [can_read]
`;

/** A temp workspace with the given files (relative path -> text), opened as a Project. */
export async function workspace(files: Record<string, string>, settings: unknown = { safeMode: false }): Promise<{ project: Project; root: string; file: (rel: string) => string }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-rules-'));
  for (const [rel, text] of Object.entries({ 'airflow-access.yaml': CONFIG, ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const project = await Project.open(root, parseSettings(settings).settings);
  return { project, root, file: (rel) => path.join(root, rel) };
}

export async function findings(files: Record<string, string>, rel = 'dags/d.py', code?: string, settings?: unknown): Promise<Finding[]> {
  const ws = await workspace(files, settings);
  try {
    const out = rel.endsWith('.yaml') ? runConfigRules(ws.project) : runRules(ws.project, ws.file(rel));
    return code ? out.filter((f) => f.code === code) : out;
  } finally {
    await ws.project.dispose();
    fs.rmSync(ws.root, { recursive: true, force: true });
  }
}

export function dag(args: string): string {
  return `from airflow import DAG\nwith DAG(${args}) as dag:\n    pass\n`;
}
