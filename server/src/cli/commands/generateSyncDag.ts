/** `generate-sync-dag`: an Airflow DAG file that runs the sync from inside the environment (MWAA). */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { loadConfig, readState, tagSource, withDatabase, FORCE_FAB_OPTION } from '../dbSession';
import { DB_OPTIONS, resolveDb } from '../dbUrl';
import { generateSyncDag as generate } from '../../sync/format';
import { planSync } from '../../sync/plan';
import { PLAN_FORMAT, type SyncPlan } from '../../sync/types';
import { TAG_SOURCE_OPTION } from './plan';

export const generateSyncDag: Command = {
  name: 'generate-sync-dag',
  summary: 'write an Airflow DAG file that applies the plan from inside the Airflow environment (e.g. MWAA)',
  description:
    'For managed Airflow whose metadata database is reachable only from inside the environment. The plan comes from\n' +
    '--plan FILE (the output of "plan --format json", e.g. computed from a staging copy) or from --db. Deploy the file\n' +
    'with your DAGs and trigger it; it runs the same statements in one transaction and is safe to run twice.',
  positionals: [],
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'FILE', description: 'write to FILE (default: stdout)' },
    { name: 'plan', type: 'string', valueName: 'FILE', description: 'a plan written by "plan --format json"' },
    ...DB_OPTIONS,
    FORCE_FAB_OPTION,
    TAG_SOURCE_OPTION,
    { name: 'dag-id', type: 'string', valueName: 'ID', description: 'dag_id of the generated DAG (default airflow_dag_access_sync)' },
    { name: 'schedule', type: 'string', valueName: 'CRON', description: 'schedule of the generated DAG (default: manual runs only)' },
  ],
  examples: [
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

async function runGenerate(ctx: CommandContext): Promise<number> {
  checkDagId(str(ctx.args, 'dag-id'));
  const planFile = str(ctx.args, 'plan');
  let plan: SyncPlan;
  if (planFile !== undefined) plan = readPlan(ctx, planFile);
  else {
    if (!resolveDb(ctx.args, ctx.io.env, false)) throw new UsageError('needs --plan FILE or --db URL (or AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
    const source = tagSource(ctx);
    const { project, config, workspaceDags } = await loadConfig(ctx, { indexDags: true });
    try {
      plan = await withDatabase(ctx, async (db) => planSync(await readState(ctx, db), config, { tagSource: source, workspaceDags }));
    } finally {
      await project.dispose();
    }
  }
  const schedule = str(ctx.args, 'schedule');
  const text = generate(plan, { dagId: str(ctx.args, 'dag-id'), schedule: schedule ?? null });
  const out = str(ctx.args, 'out');
  if (out) {
    fs.mkdirSync(path.dirname(ctx.abs(out)), { recursive: true });
    fs.writeFileSync(ctx.abs(out), text);
    ctx.note(`Wrote ${out} (plan ${plan.planId}: ${plan.summary.add} to add, ${plan.summary.revoke} to revoke)`);
  } else ctx.out(text);
  return EXIT.ok;
}
