/** `drift`: differences between the database's per-DAG grants and what the config explains. */
import { shown } from '../../model/terminalText';
import { type Command, type CommandContext, EXIT } from '../command';
import { DB_OPTIONS, FORCE_FAB_OPTION, resolveDb } from '../dbUrl';
import { connectEarly, orDiscard, readEarly } from '../earlyConnection';
import { stringifyJson } from '../output/json';
import type { GrantChange } from '../../sync/types';
import { TAG_SOURCE_OPTION, tagSource } from './plan';

export const drift: Command = {
  name: 'drift',
  summary: 'compare the database grants with the config, both ways (read-only)',
  description:
    'Lists per-DAG grants of the configured roles that the config does not explain (whether or not the role has\n' +
    'cleanup), and grants the config gives that the database lacks. Exit 1 when there is drift.',
  positionals: [],
  options: [...DB_OPTIONS,
    FORCE_FAB_OPTION, TAG_SOURCE_OPTION, { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['text', 'json'], description: 'output format' }],
  examples: ['airflow-access drift --db sqlite:////srv/airflow/airflow.db'],
  run: runDrift,
};

/** Why an unexplained grant is there, and whether a sync would revoke it (the role's own cleanup setting). */
function unexplainedReason(role: string, keptRoles: ReadonlySet<string>): string {
  return keptRoles.has(role)
    ? 'not explained by the config; the role has cleanup: false, so sync keeps it'
    : 'not explained by the config; the role has cleanup: true, so sync revokes it';
}

const grantJson = (g: GrantChange) => ({ role: g.role, action: g.action, resource: g.resource, dagId: g.dagId, reason: g.reason });

async function runDrift(ctx: CommandContext): Promise<number> {
  const format = ctx.format(['text', 'json'] as const);
  resolveDb(ctx.args, ctx.io.env); // a missing --db is a usage error before any work
  const source = tagSource(ctx);
  // As plan: a database server is connected to, and read, while the engine and the config load.
  const early = connectEarly(ctx);
  const earlyState = early && readEarly(early, async (db) => (await import('../lazyEngine.js')).readDbState(db));
  const { loaded, engine } = await orDiscard(early, async () => {
    const engine = await import('../lazyEngine.js');
    return { loaded: await engine.loadConfig(ctx, { indexDags: true }), engine };
  });
  const { readState, withDatabase, planSync } = engine;
  const { project, config, workspaceDags } = loaded;
  try {
    // Every configured role as if it had cleanup: then "revoke" lists exactly the unexplained per-DAG grants.
    const strict = { ...config, roles: config.roles.map((r) => ({ ...r, cleanup: true })) };
    // ...but the reason must be said with the role's real setting: sync revokes these grants only with cleanup: true.
    const keptRoles = new Set(config.roles.filter((r) => !r.cleanup).map((r) => r.name));
    const plan = await withDatabase(ctx, async (db) => planSync(earlyState ? await earlyState() : await readState(ctx, db), strict, { tagSource: source, workspaceDags }), early);
    const missing = plan.addGrants.filter((g) => g.dagId !== null);
    const unexplained = plan.revokeGrants.map((g) => ({ ...g, reason: unexplainedReason(g.role, keptRoles) }));
    const missingRoles = plan.createRoles.map((r) => r.name);
    const count = missing.length + unexplained.length + missingRoles.length;
    if (format === 'json') {
      ctx.out(stringifyJson({ schemaVersion: 1, count, missingRoles, missing: missing.map(grantJson), unexplained: unexplained.map(grantJson), tagDiffs: plan.tagDiffs }));
    } else if (count === 0) {
      ctx.outText(ctx.colour.green('No drift: the database grants match the config.'));
    } else {
      const c = ctx.colour;
      for (const r of missingRoles) ctx.outText(c.green(`+ role "${shown(r)}" is in the config but not in the database`));
      for (const g of missing) ctx.outText(c.green(`+ ${shown(g.role)}: ${shown(g.action)} on ${shown(g.resource)}`) + c.dim(`  (config: ${shown(g.reason)}; missing in the database)`));
      for (const g of unexplained) ctx.outText(c.red(`- ${shown(g.role)}: ${shown(g.action)} on ${shown(g.resource)}`) + c.dim(`  (in the database: ${shown(g.reason)})`));
      ctx.outText(`\nDrift: ${missing.length} missing grant${missing.length === 1 ? '' : 's'}, ${unexplained.length} unexplained grant${unexplained.length === 1 ? '' : 's'}, ${missingRoles.length} missing role${missingRoles.length === 1 ? '' : 's'}.`);
    }
    return count > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    await project.dispose();
  }
}
