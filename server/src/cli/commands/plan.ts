/** `plan`: what a sync would change in the metadata database (read-only). */
import * as fs from 'fs';
import * as path from 'path';
import { flag, str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { DB_OPTIONS, FORCE_FAB_OPTION, resolveDb } from '../dbUrl';
import { connectEarly, orDiscard, readEarly } from '../earlyConnection';
import { stringifyJson } from '../output/json';
import type { TagSource } from '../../sync/types';

export const TAG_SOURCE_OPTION = {
  name: 'tag-source',
  type: 'string',
  valueName: 'SOURCE',
  choices: ['db', 'workspace'],
  description: "where DAG tags come from: the deployed dag_tag rows (db, default) or this workspace's DAG files",
} as const;

export const plan: Command = {
  name: 'plan',
  summary: 'show the grants a sync would add and revoke, without changing anything',
  description:
    'Reads the roles, permissions and deployed DAG tags from the metadata database and compares them with the config.\n' +
    'Nothing is written. --format sql prints one transaction that applies the same plan (for databases reachable\n' +
    'only from inside the Airflow environment, such as MWAA).',
  positionals: [],
  options: [
    ...DB_OPTIONS,
    FORCE_FAB_OPTION,
    TAG_SOURCE_OPTION,
    { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['text', 'json', 'sql'], description: 'output format' },
    { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write the plan to FILE instead of stdout' },
    { name: 'verbose', short: 'v', type: 'boolean', description: 'text: list every permission copied into a new role' },
    { name: 'detailed-exitcode', type: 'boolean', description: 'exit 1 when the plan has changes (0 when it is empty)' },
  ],
  examples: [
    'airflow-access plan --db sqlite:////srv/airflow/airflow.db --config examples/airflow-access.yaml',
    'AIRFLOW_ACCESS_DB_PASSWORD=... airflow-access plan --db postgresql://airflow@db:5432/airflow --format json',
    'airflow-access plan --db mysql://airflow@db/airflow --format sql -o grants.sql',
  ],
  run: runPlan,
};

async function runPlan(ctx: CommandContext): Promise<number> {
  const format = ctx.format(['text', 'json', 'sql'] as const);
  resolveDb(ctx.args, ctx.io.env); // a missing --db is a usage error before any work
  const source = tagSource(ctx);
  const outFile = str(ctx.args, 'output');
  // A database server is connected to, and read, while the engine and the config load (nothing is written).
  const early = connectEarly(ctx);
  const earlyState = early && readEarly(early, async (db) => (await import('../lazyEngine.js')).readDbState(db));
  // The engine is imported when the command runs (not for --help or a usage error): see lazyEngine.ts.
  const { loaded, engine } = await orDiscard(early, async () => {
    const engine = await import('../lazyEngine.js');
    // Workspace DAGs are needed for --tag-source workspace, and otherwise show where workspace and deployed tags differ.
    return { loaded: await engine.loadConfig(ctx, { indexDags: true }), engine };
  });
  const { planSync, formatPlanText, planToSql, readState, withDatabase } = engine;
  const { project, config, workspaceDags } = loaded;
  try {
    const plan = await withDatabase(
      ctx,
      async (db) => {
        const state = earlyState ? await earlyState() : await readState(ctx, db);
        ctx.progress.step('Planning');
        return planSync(state, config, { tagSource: source, workspaceDags });
      },
      early,
    );
    const text = format === 'json' ? stringifyJson(plan) : format === 'sql' ? planToSql(plan) : formatPlanText(plan, { colour: !outFile && ctx.colour.enabled, verbose: flag(ctx.args, 'verbose'), root: project.root });
    if (outFile) {
      fs.mkdirSync(path.dirname(ctx.abs(outFile)), { recursive: true });
      fs.writeFileSync(ctx.abs(outFile), text.endsWith('\n') ? text : `${text}\n`);
      ctx.note(`Wrote the plan (${plan.summary.add} to add, ${plan.summary.revoke} to revoke) to ${outFile}`);
    } else if (format === 'text') ctx.outText(text);
    else ctx.out(text);
    return flag(ctx.args, 'detailed-exitcode') && !plan.empty ? EXIT.findings : EXIT.ok;
  } finally {
    await project.dispose();
  }
}

/** --tag-source (default db). */
export function tagSource(ctx: CommandContext): TagSource {
  return (str(ctx.args, 'tag-source') ?? 'db') as TagSource;
}
