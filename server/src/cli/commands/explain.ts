/** `explain <dag_id>`: the DAG's effective access, with where every grant comes from. */
import { UsageError } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { DB_OPTIONS, INLINE_PASSWORD_WARNING, resolveDb } from '../dbUrl';
import { stringifyJson } from '../output/json';
import type { findDag } from '../dags';
import { closestMatch } from '../../config/didYouMean';

export const explain: Command = {
  name: 'explain',
  summary: "show a DAG's effective access: roles, actions and where each grant comes from",
  description:
    "Grants come from the config (tags), the DAG's access_control and Airflow's default roles; with --db, also the\n" +
    'grants the metadata database holds now. --db only reads.',
  positionals: [{ name: 'dag_id', description: 'the DAG to explain', required: true }],
  options: [{ name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['text', 'json', 'md'], description: 'output format' }, ...DB_OPTIONS],
  examples: ['airflow-access explain finance_ledger', 'airflow-access explain finance_ledger --json --db sqlite:////srv/airflow/airflow.db'],
  run: runExplain,
};

async function runExplain(ctx: CommandContext): Promise<number> {
  const format = ctx.format(['text', 'json', 'md'] as const);
  const dagId = ctx.args.positionals[0];
  // Only an explicit --db reads the database (AIRFLOW__DATABASE__SQL_ALCHEMY_CONN alone does not).
  const target = ctx.args.options.has('db') ? resolveDb(ctx.args, ctx.io.env, true, ctx.io.cwd) : undefined;
  if (target?.inlinePassword) ctx.warn(INLINE_PASSWORD_WARNING);
  const { openWorkspace, refuseInvalidConfig, findDag, explainText, explainToJson, formatDagAccessMarkdown } = await import('../lazyEngine.js');
  const project = await openWorkspace(ctx, { db: target });
  // Like plan and sync: a role dropped by a config error would be silently missing from the output.
  await refuseInvalidConfig(ctx, project, 'nothing is shown (the access would be wrong)');
  try {
    const found = findDag(project, dagId);
    if (!found) {
      // Deployed but not here: explaining needs the DAG's file (its access_control, the tags as written).
      const deployed = project.db.state?.dags.find((d) => d.dagId === dagId);
      if (deployed && target) {
        throw new UsageError(`DAG "${dagId}" is deployed in ${target.display} (tags: ${deployed.tags.join(', ') || 'none'}) but its file is not in ${ctx.root}: point --root at the DAGs folder it comes from`);
      }
      throw new UsageError(`no DAG "${dagId}" in ${ctx.root}${suggestion(project, dagId)}`);
    }
    const access = project.dagAccess(found.file, found.dag);
    if (!access) throw new Error(`could not compute the access of ${dagId}`);
    const loc = { dagId, file: found.file, range: found.dag.dagId.range };
    const rel = (f: string) => ctx.rel(f);
    if (format === 'json') ctx.out(stringifyJson(explainToJson(loc, access, rel, target?.display ?? null)));
    else if (format === 'md') ctx.outText(formatDagAccessMarkdown(access));
    else ctx.outText(explainText(loc, access, rel, ctx.colour));
    return EXIT.ok;
  } finally {
    await project.dispose();
  }
}

function suggestion(project: Parameters<typeof findDag>[0], dagId: string): string {
  const ids = project.allDags().flatMap(({ dag }) => (dag.dagId.kind === 'static' ? [dag.dagId.value] : []));
  const closest = closestMatch(dagId, ids);
  const near = [...new Set([...(closest ? [closest] : []), ...ids.filter((id) => id.includes(dagId) || dagId.includes(id))])].slice(0, 3);
  return near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(', ')}?)` : ids.length ? '' : ' (no DAGs were found; check --root)';
}
