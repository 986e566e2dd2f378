/** `demo-db <file.db>`: a demo SQLite metadata database with the workspace's DAGs deployed. */
import * as fs from 'fs';
import { UsageError, flag, str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { sqliteUrlFor } from '../dbUrl';
import { selfCommand, shellWord } from '../selfCommand';
import type { DemoVersion } from '../../db/airflowSchema';

const VERSIONS = ['2.10', '3.0'] as const;

export const demoDb: Command = {
  name: 'demo-db',
  summary: "create a demo SQLite Airflow metadata database holding the workspace's DAGs and tags",
  description:
    "The database has Airflow's FAB security tables, the default roles with their permissions, and the workspace's\n" +
    'DAGs and tags as if Airflow had parsed them, so "plan" and "sync" can be tried without a real Airflow.',
  positionals: [{ name: 'file.db', description: 'the SQLite file to create', required: true }],
  options: [
    { name: 'from-workspace', type: 'boolean', description: "deploy the workspace's DAGs and tags into it (the default; kept for clarity in scripts)" },
    { name: 'airflow-version', type: 'string', valueName: 'X.Y', choices: VERSIONS, description: 'schema to create (default 2.10)' },
    { name: 'force', type: 'boolean', description: 'overwrite the file if it exists' },
  ],
  examples: ['airflow-access demo-db /tmp/airflow.db --root examples', 'airflow-access plan --db sqlite:////tmp/airflow.db --root examples'],
  run: runDemoDb,
};

async function runDemoDb(ctx: CommandContext): Promise<number> {
  const file = ctx.abs(ctx.args.positionals[0]);
  if (fs.existsSync(file) && !flag(ctx.args, 'force')) throw new UsageError(`${ctx.args.positionals[0]} already exists (add --force to overwrite it)`);
  const { openWorkspace, workspaceDags, createDemoDatabase } = await import('../lazyEngine.js');
  const project = await openWorkspace(ctx);
  try {
    // As Airflow would have them: a file it cannot import has no DAGs in the database.
    const dags = workspaceDags(project).filter((d) => !d.importError).map((d) => ({ dagId: d.dagId, tags: d.tags }));
    ctx.progress.step(`Creating ${file}`);
    const version = (str(ctx.args, 'airflow-version') ?? '2.10') as DemoVersion;
    const result = await createDemoDatabase(file, { dags, overwrite: flag(ctx.args, 'force'), airflowVersion: version });
    ctx.progress.done();
    ctx.out(`Created ${result.file}: Airflow ${version} schema, default roles, ${result.dags} DAG${result.dags === 1 ? '' : 's'} from ${ctx.root}.`);
    // A command that runs as printed: `node dist/cli.js` in a clone, `airflow-access` where that is this CLI.
    const root = ctx.io.cwd === ctx.root ? '' : ` --root ${shellWord(ctx.root)}`;
    ctx.out(`Try: ${selfCommand(ctx.io.env, ctx.io.cwd)} plan --db ${shellWord(sqliteUrlFor(result.file))}${root}`);
    return EXIT.ok;
  } finally {
    await project.dispose();
  }
}
