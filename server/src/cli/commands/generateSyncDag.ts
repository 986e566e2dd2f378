/** `generate-sync-dag`: an Airflow DAG file that runs the sync from inside the environment (MWAA). */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { DB_OPTIONS, FORCE_FAB_OPTION, resolveDb } from '../dbUrl';
import { PLAN_FORMAT, type SyncPlan } from '../../sync/types';
import { TAG_SOURCE_OPTION, tagSource } from './plan';

export const generateSyncDag: Command = {
  name: 'generate-sync-dag',
  summary: 'write an Airflow DAG file that applies the plan from inside the Airflow environment (e.g. MWAA)',
  description:
    'For managed Airflow whose metadata database is reachable only from inside the environment. The plan comes from\n' +
    '--plan FILE (the output of "plan --format json", e.g. computed from a staging copy) or from --db. Deploy the file\n' +
    'with your DAGs and trigger it; it runs the same statements in one transaction and is safe to run twice.\n\n' +
    'With --replace FILE (an MWAA-style tag-sync DAG defining role_mappings) it writes the drop-in replacement of\n' +
    'that file instead: same dag_id, schedule and role_mappings, read from it; the sync is computed inside the\n' +
    'environment at every run (one transaction, set-based statements, an audit row), so no plan or --db is needed.',
  positionals: [],
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'FILE', description: 'write to FILE (default: stdout)' },
    { name: 'plan', type: 'string', valueName: 'FILE', description: 'a plan written by "plan --format json"' },
    { name: 'replace', type: 'string', valueName: 'FILE', description: 'write the drop-in replacement of this MWAA tag-sync DAG (reads its role_mappings and schedule)' },
    ...DB_OPTIONS,
    FORCE_FAB_OPTION,
    TAG_SOURCE_OPTION,
    { name: 'dag-id', type: 'string', valueName: 'ID', description: 'dag_id of the generated DAG (default airflow_dag_access_sync)' },
    { name: 'schedule', type: 'string', valueName: 'CRON', description: 'schedule of the generated DAG (default: manual runs only)' },
  ],
  examples: [
    'airflow-access generate-sync-dag --replace dags/permission_sync.py --out dags/permission_sync.py',
    'airflow-access plan --db sqlite:////tmp/staging.db --format json -o plan.json && airflow-access generate-sync-dag --plan plan.json --out dags/airflow_access_sync.py',
    'airflow-access generate-sync-dag --db postgresql://airflow@db/airflow --out dags/airflow_access_sync.py',
  ],
  run: runGenerate,
};

function readPlan(ctx: CommandContext, file: string): SyncPlan {
  let plan: SyncPlan;
  try {
    plan = JSON.parse(fs.readFileSync(ctx.abs(file), 'utf8')) as SyncPlan;
  } catch (e) {
    throw new UsageError(`--plan ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON plan'}`);
  }
  if (plan?.format !== PLAN_FORMAT) throw new UsageError(`--plan ${file}: not a plan written by "airflow-access plan --format json"`);
  return plan;
}

/**
 * --dag-id is checked before any work, with the generator's own rule (ASCII letters, digits, _, - and .): the
 * generator would refuse it only after the plan was read, as a failure (exit 3) rather than a usage error.
 */
function checkDagId(dagId: string | undefined): void {
  if (dagId !== undefined && !/^[\w.-]+$/.test(dagId)) {
    throw new UsageError(`--dag-id "${dagId}" is not a valid dag_id: use ASCII letters, digits, _, - and . only`);
  }
}

/** `--replace FILE`: the drop-in replacement of an existing MWAA sync DAG. */
async function runReplace(ctx: CommandContext, given: string): Promise<number> {
  for (const o of ['plan', 'db', 'dag-id', 'tag-source']) if (str(ctx.args, o) !== undefined) throw new UsageError(`--replace takes the config and dag_id from ${given}; --${o} does not apply`);
  const file = ctx.abs(given);
  if (!fs.existsSync(file)) throw new UsageError(`--replace ${given}: no such file`);
  const text = fs.readFileSync(file, 'utf8');
  const { loadConfigFileAsync, createPythonParser, readReplacedDag, generateDropInDag } = await import('../lazyEngine.js');
  const loaded = await loadConfigFileAsync(file, { wasmDir: __dirname });
  const errors = loaded.problems.filter((p) => p.severity === 'error');
  for (const p of errors) ctx.note(`${given}:${p.range.start.line + 1}:${p.range.start.character + 1}: error ${p.message}`);
  if (!loaded.config || errors.length) throw new Error(`${given}: role_mappings has ${errors.length || 'unreadable'} error(s); nothing was written`);
  const read = readReplacedDag(text, await createPythonParser(__dirname));
  if ('error' in read) throw new Error(`${given}: ${read.error}`);
  const schedule = str(ctx.args, 'schedule');
  if (schedule === undefined && read.dag.schedule === null) throw new Error(`${given}: ${read.dag.scheduleProblem}`);
  const out = generateDropInDag(loaded.config, read.dag, { replacedFile: path.basename(file), schedule: schedule === undefined ? undefined : JSON.stringify(schedule) });
  const target = str(ctx.args, 'out');
  if (!target) {
    ctx.out(out);
    return EXIT.ok;
  }
  fs.mkdirSync(path.dirname(ctx.abs(target)), { recursive: true });
  fs.writeFileSync(ctx.abs(target), out);
  ctx.note(`Wrote ${target}: drop-in for ${given} (dag_id ${read.dag.dagId}, schedule ${schedule === undefined ? read.dag.schedule : JSON.stringify(schedule)}, ${loaded.config.roles.length} role(s))`);
  return EXIT.ok;
}

/**
 * A plan file is plain JSON: re-check the planner's scope rules (planSafety.ts) against the plan's
 * own inputs and, when the workspace has a config, against that config too (an edited plan can claim
 * `manage_builtin` or `cleanup` the config does not give).
 */
async function refuseUnsafePlan(ctx: CommandContext, plan: SyncPlan, file: string): Promise<void> {
  const { planViolations, rulesOfPlan, planInputs, openWorkspace, refuseInvalidConfig } = await import('../lazyEngine.js');
  const problems = planViolations(plan, rulesOfPlan(plan));
  const project = await openWorkspace(ctx, { scan: false });
  if (project.configFile) {
    await refuseInvalidConfig(ctx, project, 'nothing was written');
    const own = new Set(problems);
    const byConfig = planViolations(plan, planInputs(project.config!, { tagSource: plan.tagSource === 'workspace' ? 'workspace' : 'db' }));
    problems.push(...byConfig.filter((p) => !own.has(p)).map((p) => `${p} (${ctx.rel(project.configFile!)})`));
  }
  await project.dispose();
  const unique = problems;
  if (!unique.length) return;
  for (const p of unique.slice(0, 10)) ctx.note(`${file}: ${p}`);
  if (unique.length > 10) ctx.note(`${file}: ... and ${unique.length - 10} more`);
  throw new Error(`--plan ${file} breaks ${unique.length} safety rule(s) of the sync; nothing was written. Use the plan as "airflow-access plan --format json" wrote it, or plan again.`);
}

async function runGenerate(ctx: CommandContext): Promise<number> {
  const replace = str(ctx.args, 'replace');
  if (replace !== undefined) return runReplace(ctx, replace);
  checkDagId(str(ctx.args, 'dag-id'));
  const planFile = str(ctx.args, 'plan');
  let plan: SyncPlan;
  if (planFile !== undefined) {
    plan = readPlan(ctx, planFile);
    await refuseUnsafePlan(ctx, plan, planFile);
  } else {
    if (!resolveDb(ctx.args, ctx.io.env, false)) throw new UsageError('needs --plan FILE or --db URL (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
    const source = tagSource(ctx);
    const { loadConfig, readState, withDatabase, planSync } = await import('../lazyEngine.js');
    const { project, config, workspaceDags } = await loadConfig(ctx, { indexDags: true });
    try {
      plan = await withDatabase(ctx, async (db) => planSync(await readState(ctx, db), config, { tagSource: source, workspaceDags }));
    } finally {
      await project.dispose();
    }
  }
  const schedule = str(ctx.args, 'schedule');
  const { generateSyncDag: generate } = await import('../lazyEngine.js');
  const text = generate(plan, { dagId: str(ctx.args, 'dag-id'), schedule: schedule ?? null });
  const out = str(ctx.args, 'out');
  if (out) {
    fs.mkdirSync(path.dirname(ctx.abs(out)), { recursive: true });
    fs.writeFileSync(ctx.abs(out), text);
    ctx.note(`Wrote ${out} (plan ${plan.planId}: ${plan.summary.add} to add, ${plan.summary.revoke} to revoke)`);
  } else ctx.out(text);
  return EXIT.ok;
}
