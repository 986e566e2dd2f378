/**
 * ADA017: with multi_team on, an asset event from a DAG of one team to a DAG of another team that the
 * asset's access control blocks. Reported on the producer's outlet and on the consumer's schedule.
 */
import { assetSettings, isEventDelivered, withTeamKeys } from '../engine/assetDelivery';
import { teamKey, teamNamesFolded } from '../engine/teams';
import type { AssetFact, AssetRefFact, DagFact, FileFacts, Range } from '../model/facts';
import type { RuleContext } from './rule';
import type { FileRule, RuleFinding } from './rule';

interface Side {
  file: string;
  dag: DagFact;
  ref: AssetRefFact;
  team: string | null;
}

/** The Asset(...) definition behind a reference, looked up across the workspace. */
export function assetOf(ctx: Pick<RuleContext, 'fileFacts' | 'workspace'>, facts: FileFacts, ref: AssetRefFact): AssetFact | null {
  if (ref.localAsset !== undefined) return facts.assets[ref.localAsset] ?? null;
  if (ref.imported) {
    const other = ctx.fileFacts(ref.imported.file);
    const exp = other?.exports[ref.imported.symbol];
    if (other && exp?.kind === 'asset') return other.assets[exp.assetIndex] ?? null;
  }
  if (ref.key === null) return null;
  return ctx.workspace.assetsWithKey(ref.key)[0]?.asset ?? null;
}

function sides(ctx: RuleContext, key: string): { producers: Side[]; consumers: Side[] } {
  const side = (s: { file: string; dag: DagFact; ref: AssetRefFact }): Side => ({ file: s.file, dag: s.dag, ref: s.ref, team: ctx.teamOf(s.file) });
  return { producers: ctx.workspace.producersOf(key).map(side), consumers: ctx.workspace.consumersOf(key).map(side) };
}

function dagName(d: DagFact): string {
  return d.dagId.kind === 'static' ? d.dagId.value : '(dynamic dag_id)';
}

export const crossTeamEvents: FileRule = {
  code: 'ADA017',
  scope: 'file',
  check({ ctx, facts }) {
    const config = ctx.config;
    if (!config?.airflow.multiTeam || !config.teams.length) return [];
    const folded = teamNamesFolded(ctx.airflowVersion());
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    const report = (range: Range, message: string, related: RuleFinding['related']) => {
      const k = `${range.start.line}:${range.start.character}:${message}`;
      if (!seen.has(k)) (seen.add(k), out.push({ file: facts.file, range, message, related }));
    };
    const keys = new Set<string>();
    for (const dag of facts.dags) {
      for (const r of dag.schedule) if (r.key) keys.add(r.key);
      for (const p of dag.producers) for (const r of p.outlets) if (r.key) keys.add(r.key);
    }
    for (const key of keys) {
      const { producers, consumers } = sides(ctx, key);
      for (const prod of producers) {
        for (const cons of consumers) {
          if (prod.dag === cons.dag) continue;
          if (prod.file !== facts.file && cons.file !== facts.file) continue;
          const consumerSide = assetSettings(assetOf(ctx, ctx.fileFacts(cons.file) ?? facts, cons.ref));
          const producerSide = assetSettings(assetOf(ctx, ctx.fileFacts(prod.file) ?? facts, prod.ref));
          const verdict = isEventDelivered(withTeamKeys({
            multiTeam: true,
            producerTeam: prod.team,
            producerKind: 'dag',
            consumerTeam: cons.team,
            producerTeams: consumerSide.producerTeams,
            allowGlobal: consumerSide.allowGlobal,
            consumerTeams: producerSide.consumerTeams,
            allowGlobalConsumers: producerSide.allowGlobal,
          }, (t) => teamKey(t, folded)));
          if (verdict.delivered) continue;
          const what = `Asset '${key}' events from DAG '${dagName(prod.dag)}' (${prod.team ?? 'no team'}) to DAG '${dagName(cons.dag)}' (${cons.team ?? 'no team'}) are blocked: ${verdict.reason}.`;
          if (prod.file === facts.file) report(prod.ref.range, `${what} The consumer will not be triggered.`, [{ file: cons.file, range: cons.ref.range, message: `consumer '${dagName(cons.dag)}'` }]);
          if (cons.file === facts.file) report(cons.ref.range, `${what} This DAG will not be triggered by it.`, [{ file: prod.file, range: prod.ref.range, message: `producer '${dagName(prod.dag)}'` }]);
        }
      }
    }
    return out;
  },
};
