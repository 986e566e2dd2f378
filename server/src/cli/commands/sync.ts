/** `sync --yes`: apply the plan in one transaction, after writing a snapshot of every row it changes. */
import * as os from 'os';
import { UsageError, flag, str } from '../args';
import { type Command, type CommandContext, EXIT } from '../command';
import { DB_OPTIONS, FORCE_FAB_OPTION, lockTimeoutMs, resolveDb } from '../dbUrl';
import { connectEarly, orDiscard } from '../earlyConnection';
import { stringifyJson } from '../output/json';
import { defaultSnapshotDir } from '../../sync/snapshot';
import { TAG_SOURCE_OPTION, tagSource } from './plan';
import { selfCommand, shellWord } from '../selfCommand';

export const sync: Command = {
  name: 'sync',
  summary: 'apply the plan to the metadata database (needs --yes); writes a rollback snapshot first',
  description:
    'Takes the sync lock, computes the same plan as "plan" in the same transaction, writes a JSON snapshot of every\n' +
    'row it will change, then applies it before committing. A second run plans nothing. Undo with "rollback <snapshot>".',
  positionals: [],
  options: [
    ...DB_OPTIONS,
    FORCE_FAB_OPTION,
    TAG_SOURCE_OPTION,
    { name: 'yes', short: 'y', type: 'boolean', description: 'really apply (without it, sync refuses and changes nothing)' },
    { name: 'snapshot-dir', type: 'string', valueName: 'DIR', description: 'where the rollback snapshot goes (default: .airflow-access/snapshots under the root)' },
    { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['text', 'json'], description: 'output format' },
  ],
  examples: ['airflow-access sync --db sqlite:////srv/airflow/airflow.db --yes', 'airflow-access sync --db postgresql://airflow@db/airflow --yes --snapshot-dir /var/backups/airflow-access'],
  run: runSync,
};

async function runSync(ctx: CommandContext): Promise<number> {
  if (!flag(ctx.args, 'yes')) throw new UsageError('sync changes the database: add --yes to apply it (run "airflow-access plan" first to see what changes)');
  const format = ctx.format(['text', 'json'] as const);
  const snapshotDir = ctx.abs(str(ctx.args, 'snapshot-dir') ?? defaultSnapshotDir(ctx.root));
  resolveDb(ctx.args, ctx.io.env); // a missing --db is a usage error before any work
  const source = tagSource(ctx);
  // A database server is connected to while the engine and the config load; the lock, the read and the writes come after.
  const early = connectEarly(ctx);
  const { loaded, engine } = await orDiscard(early, async () => {
    const engine = await import('../lazyEngine.js');
    return { loaded: await engine.loadConfig(ctx, { indexDags: true }), engine };
  });
  const { withDatabase, planAndApply, planSync, formatPlanText } = engine;
  const { project, config, workspaceDags } = loaded;
  try {
    // Read, plan and write under one lock in one transaction: what is printed is what was written.
    let shownUrl = '';
    const { plan, result } = await withDatabase(ctx, (db, display) => {
      shownUrl = display;
      return planAndApply(db, (state) => planSync(state, config, { tagSource: source, workspaceDags }), { snapshotDir, auditUser: auditUser(ctx), onProgress: (m) => ctx.progress.step(m), lockTimeoutMs: lockTimeoutMs(ctx.args) });
    }, early, { forWrite: true });
    ctx.progress.done();
    const nothing = 'Nothing to do: the database already matches the config.';
    if (format === 'json') {
      ctx.out(
        stringifyJson({
          schemaVersion: 1,
          planId: plan.planId,
          applied: result?.applied ?? false,
          message: result?.message ?? nothing,
          snapshotFile: result?.snapshotFile ?? null,
          summary: result?.summary ?? null,
          plan,
        }),
      );
    } else if (!result) {
      ctx.outText(nothing);
    } else {
      ctx.outText(formatPlanText(plan, { colour: ctx.colour.enabled, root: project.root }));
      // An applied result's message already reads "Applied plan <id>: N grant(s) added, …" (plan id and every count),
      // so it is printed as is: a prefix would double the word and a second summary line would repeat the counts.
      ctx.outText(ctx.colour.bold(result.applied ? result.message : `Not applied: ${result.message}`));
      if (result.snapshotFile) ctx.outText(`Snapshot: ${result.snapshotFile}\nUndo with: ${undoCommand(ctx, result.snapshotFile, shownUrl)}`);
    }
    return result && !result.applied ? EXIT.failure : EXIT.ok;
  } finally {
    await project.dispose();
  }
}

/** The rollback command for this snapshot, runnable as printed (the URL's password, if any, masked). */
function undoCommand(ctx: CommandContext, snapshot: string, url: string): string {
  const passwordEnv = str(ctx.args, 'password-env');
  const words = [selfCommand(ctx.io.env, ctx.io.cwd), 'rollback', shellWord(snapshot), '--db', shellWord(url), ...(passwordEnv ? ['--password-env', shellWord(passwordEnv)] : []), '--yes'];
  return words.join(' ');
}

/** Who to record in Airflow's audit log. */
export function auditUser(ctx: CommandContext): string {
  let user = ctx.io.env.USER ?? ctx.io.env.USERNAME;
  try {
    user ??= os.userInfo().username;
  } catch {
    // no passwd entry (containers)
  }
  return `airflow-access${user ? ` (${user})` : ''}`;
}
