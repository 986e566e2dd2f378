/**
 * Synthetic Airflow workspace for the benchmark: N DAG files of realistic size (60–140 lines) in
 * mixed styles, a shared constants module, and an airflow-access.yaml mapping tags to 50 roles.
 * Deterministic for a given seed, so two runs measure the same files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Prng } from '../unit/hardening/prng';

export const ROLE_COUNT = 50;
export const FILES_PER_FOLDER = 200;

export interface SyntheticWorkspace {
  root: string;
  files: string[];
  dagCount: number;
  bytes: number;
  /** A DAG file with a `tags=[...]` list, for edit/hover/completion measurements. */
  probe: { file: string; tagLine: number; tagColumn: number };
}

export const roleName = (k: number): string => `team_${String(k).padStart(2, '0')}`;
const roleTag = (k: number, kind: 'read' | 'edit'): string => `${roleName(k)}_${kind}`;
const PLAIN_TAGS = ['etl', 'daily', 'hourly', 'reporting', 'ingest', 'ml', 'finance', 'marketing', 'platform', 'backfill'];
const OPERATORS = ['BashOperator', 'PythonOperator', 'EmptyOperator'];

export function configYaml(): string {
  const lines = ['# Synthetic benchmark config: 50 roles, one read and one edit tag each.', 'version: 1', 'airflow:', '  version: "2.10"', '  auth_manager: fab', 'roles:'];
  for (let k = 0; k < ROLE_COUNT; k++) {
    lines.push(`  ${roleName(k)}:`, `    tags: [${roleTag(k, 'read')}, ${roleTag(k, 'edit')}]`);
    lines.push(`    dag_permissions: [${k % 3 === 0 ? 'can_read, can_edit, can_delete' : k % 3 === 1 ? 'can_read, can_edit' : 'can_read'}]`);
    if (k % 4 === 0) lines.push('    dag_run_permissions: [can_read, can_create]');
    lines.push(`    cleanup: ${k % 2 === 0}`);
  }
  return `${lines.join('\n')}\n`;
}

function constantsModule(): string {
  const out = ['"""Shared constants imported by the generated DAGs."""', ''];
  for (let k = 0; k < ROLE_COUNT; k++) out.push(`TEAM_${k}_TAGS = ["${roleTag(k, 'read')}", "etl"]`);
  out.push('', 'DEFAULT_OWNER = "data-platform"', 'RETRIES = 2', '');
  return out.join('\n');
}

function tasks(r: Prng, indent: string, n: number): string[] {
  const out: string[] = [];
  const ids: string[] = [];
  for (let t = 0; t < n; t++) {
    const op = r.pick(OPERATORS);
    const id = `step_${t}_${r.pick(['extract', 'load', 'transform', 'validate', 'publish', 'notify'])}`;
    ids.push(id);
    if (op === 'BashOperator') {
      out.push(`${indent}${id} = BashOperator(`, `${indent}    task_id="${id}",`, `${indent}    bash_command="echo run {{ ds }} && python -m jobs.${id} --date {{ ds }} --retries ${r.range(1, 5)}",`, `${indent}    retries=${r.range(0, 3)},`, `${indent})`);
    } else if (op === 'PythonOperator') {
      out.push(`${indent}${id} = PythonOperator(`, `${indent}    task_id="${id}",`, `${indent}    python_callable=_work,`, `${indent}    op_kwargs={"table": "t_${r.int(1000)}", "limit": ${r.range(10, 10000)}},`, `${indent})`);
    } else {
      out.push(`${indent}${id} = EmptyOperator(task_id="${id}")`);
    }
  }
  out.push('', `${indent}${ids.join(' >> ')}`);
  return out;
}

function tagList(r: Prng, i: number): { tags: string[]; role: number } {
  const role = i % ROLE_COUNT;
  const tags = [roleTag(role, r.chance(0.5) ? 'read' : 'edit'), r.pick(PLAIN_TAGS)];
  if (r.chance(0.3)) tags.push(roleTag(r.int(ROLE_COUNT), 'read'));
  if (r.chance(0.1)) tags.push('unmapped_tag');
  return { tags, role };
}

const header = (i: number, style: string) => [
  `"""Synthetic DAG ${i} (${style}): loads partner data, validates it and publishes a report.`,
  '',
  'Generated for the Airflow DAG Access benchmark; the shape follows common production DAG files.',
  '"""',
];

function helperFn(): string[] {
  return ['', '', 'def _work(table: str, limit: int, **context) -> int:', '    """Pretend to move rows."""', '    rows = min(limit, 100)', '    for attempt in range(3):', '        if rows > attempt:', '            rows -= attempt', '    return rows', ''];
}

/** One DAG file; returns its text and the (line, column) of its first tag. */
export function dagFile(r: Prng, i: number): string {
  const style = i % 6;
  const dagId = `synthetic_${String(i).padStart(5, '0')}`;
  const { tags } = tagList(r, i);
  const tagsText = `[${tags.map((t) => `"${t}"`).join(', ')}]`;
  const nTasks = r.range(6, 14);
  const lines: string[] = [];
  const imports = ['import pendulum', 'from datetime import timedelta', '', 'from airflow import DAG', 'from airflow.operators.bash import BashOperator', 'from airflow.operators.empty import EmptyOperator', 'from airflow.operators.python import PythonOperator'];
  const defaultArgs = ['default_args = {', '    "owner": "data-platform",', `    "retries": ${r.range(0, 3)},`, '    "retry_delay": timedelta(minutes=5),', '    "email_on_failure": False,', '}'];
  const dagKwargs = (indent: string) => [
    `${indent}description="Synthetic pipeline ${i}",`,
    `${indent}schedule="${r.pick(['@daily', '@hourly', '0 3 * * *', '@weekly'])}",`,
    `${indent}start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),`,
    `${indent}catchup=False,`,
    `${indent}default_args=default_args,`,
  ];
  if (style === 0) {
    lines.push(...header(i, 'with DAG'), ...imports, ...helperFn(), ...defaultArgs, '', 'with DAG(', `    "${dagId}",`, ...dagKwargs('    '), `    tags=${tagsText},`, ') as dag:', ...tasks(r, '    ', nTasks));
  } else if (style === 1) {
    lines.push(...header(i, 'dag = DAG'), ...imports, ...helperFn(), ...defaultArgs, '', 'dag = DAG(', `    dag_id="${dagId}",`, ...dagKwargs('    '), `    tags=${tagsText},`, ')', '', ...tasks(r, '', nTasks).map((l) => l.replace(/^(\s*task_id="[^"]+",)$/, '$1 dag=dag,').replace(/task_id="([^"]+)"\)$/, 'task_id="$1", dag=dag)')));
  } else if (style === 2) {
    lines.push(...header(i, '@dag TaskFlow'), 'import pendulum', '', 'from airflow.decorators import dag, task', '', '', '@dag(', `    dag_id="${dagId}",`, '    schedule="@daily",', '    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),', '    catchup=False,', `    tags=${tagsText},`, ')', `def pipeline_${i}():`);
    for (let t = 0; t < nTasks; t++) lines.push('    @task', `    def step_${t}(value: int = ${t}) -> int:`, `        """Step ${t} of the pipeline."""`, `        return value * ${r.range(2, 9)}`, '');
    lines.push(`    ${Array.from({ length: nTasks }, (_, t) => `step_${t}()`).join(' >> ')}`, '', '', `pipeline_${i}()`);
  } else if (style === 3) {
    const k = i % ROLE_COUNT;
    lines.push(...header(i, 'constants'), ...imports, `from common.constants import TEAM_${k}_TAGS, DEFAULT_OWNER`, ...helperFn(), ...defaultArgs, '', `DAG_ID = "${dagId}"`, `EXTRA_TAGS = ${tagsText}`, '', 'with DAG(', '    dag_id=DAG_ID,', ...dagKwargs('    '), `    tags=TEAM_${k}_TAGS + EXTRA_TAGS,`, ') as dag:', ...tasks(r, '    ', nTasks));
  } else if (style === 4) {
    const produced = `s3://lake/synthetic/${i}/`;
    const consumed = `s3://lake/synthetic/${Math.max(0, i - 4)}/`;
    lines.push(...header(i, 'assets'), 'import pendulum', '', 'from airflow.providers.standard.operators.empty import EmptyOperator', 'from airflow.sdk import DAG, Asset', '', `out_asset = Asset("out_${i}", "${produced}")`, `in_asset = Asset(uri="${consumed}")`, '', 'with DAG(', `    dag_id="${dagId}",`, '    schedule=[in_asset],', '    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),', `    tags=${tagsText},`, '):');
    for (let t = 0; t < nTasks; t++) lines.push(`    EmptyOperator(task_id="emit_${t}"${t === nTasks - 1 ? ', outlets=[out_asset]' : ''})`);
  } else {
    const roles = [roleName(i % ROLE_COUNT), 'Viewer'];
    lines.push(...header(i, 'access_control'), ...imports, ...helperFn(), ...defaultArgs, '', 'with DAG(', `    dag_id="${dagId}",`, ...dagKwargs('    '), `    tags=${tagsText},`, `    access_control={"${roles[0]}": {"can_read", "can_edit"}, "${roles[1]}": {"can_read"}},`, ') as dag:', ...tasks(r, '    ', nTasks));
  }
  return `${lines.join('\n')}\n`;
}

export function generateWorkspace(root: string, count: number, seed = 1): SyntheticWorkspace {
  const r = new Prng(seed);
  fs.mkdirSync(path.join(root, 'dags', 'common'), { recursive: true });
  fs.writeFileSync(path.join(root, 'airflow-access.yaml'), configYaml());
  fs.writeFileSync(path.join(root, 'dags', 'common', '__init__.py'), '');
  fs.writeFileSync(path.join(root, 'dags', 'common', 'constants.py'), constantsModule());
  const files: string[] = [];
  let bytes = 0;
  let probe: SyntheticWorkspace['probe'] | undefined;
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'dags', `group_${String(Math.floor(i / FILES_PER_FOLDER)).padStart(3, '0')}`);
    if (i % FILES_PER_FOLDER === 0) fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `dag_${String(i).padStart(5, '0')}.py`);
    const text = dagFile(r, i);
    fs.writeFileSync(file, text);
    files.push(file);
    bytes += Buffer.byteLength(text);
    if (!probe && i >= count / 2 && i % 6 === 0) {
      const lines = text.split('\n');
      const tagLine = lines.findIndex((l) => l.includes('tags=['));
      probe = { file, tagLine, tagColumn: lines[tagLine]!.indexOf('[') + 2 };
    }
  }
  return { root, files, dagCount: count, bytes, probe: probe! };
}
