/**
 * Airflow 3.3 multi-team asset event delivery. An event reaches a consumer DAG only when both
 * checks pass:
 *  - the consumer's check (its asset's `producer_teams` + `allow_global`): a teamless consumer
 *    accepts everything; same team passes; another team must be listed in producer_teams; a
 *    teamless DAG producer passes unless allow_global=False; a teamless API user reaches only
 *    teamless consumers;
 *  - the producer's check (its outlet asset's `consumer_teams` + `allow_global`): a consumer of the
 *    producer's own team always passes; a teamless consumer passes iff allow_global; otherwise
 *    consumer_teams None means no filtering, a list must contain the consumer's team.
 * With multi-team off nothing is filtered.
 */
import type { AssetAccessControlFact, AssetFact } from '../model/facts';

export interface DeliveryInput {
  multiTeam: boolean;
  producerTeam: string | null;
  producerKind: 'dag' | 'api';
  consumerTeam: string | null;
  /** Consumer side: AssetAccessControl.producer_teams of the asset the consumer schedules on. */
  producerTeams: string[];
  /** Consumer side: allow_global (allow_global_producers). */
  allowGlobal: boolean;
  /** Producer side: AssetAccessControl.consumer_teams of the outlet asset; null = no filtering. */
  consumerTeams: string[] | null;
  /** Producer side: allow_global (allow_global_consumers). */
  allowGlobalConsumers: boolean;
}

export interface DeliveryResult {
  delivered: boolean;
  reason: string;
}

export function consumerAccepts(i: DeliveryInput): DeliveryResult {
  if (i.consumerTeam === null) return { delivered: true, reason: 'Teamless consumer accepts events from any source' };
  if (i.producerTeam !== null && i.producerTeam === i.consumerTeam) return { delivered: true, reason: 'Same team' };
  if (i.producerTeam !== null) {
    return i.producerTeams.includes(i.producerTeam)
      ? { delivered: true, reason: `Cross-team opt-in: '${i.producerTeam}' is in producer_teams` }
      : { delivered: false, reason: `Different team, no opt-in: '${i.producerTeam}' is not in producer_teams` };
  }
  if (i.producerKind === 'api') return { delivered: false, reason: 'Teamless API user cannot trigger team-bound consumer' };
  return i.allowGlobal
    ? { delivered: true, reason: 'Global producer, allow_global is True' }
    : { delivered: false, reason: 'Global producer blocked by allow_global=False' };
}

export function producerAllows(i: DeliveryInput): DeliveryResult {
  if (i.consumerTeam !== null && i.consumerTeam === i.producerTeam) return { delivered: true, reason: "Consumer is in the producer's own team" };
  if (i.consumerTeam === null) {
    return i.allowGlobalConsumers
      ? { delivered: true, reason: 'Teamless consumer allowed by the producer (allow_global)' }
      : { delivered: false, reason: "Teamless consumer blocked by the producer's allow_global=False" };
  }
  if (i.consumerTeams === null) return { delivered: true, reason: 'Producer does not filter consumers (consumer_teams unset)' };
  return i.consumerTeams.includes(i.consumerTeam)
    ? { delivered: true, reason: `'${i.consumerTeam}' is in the producer's consumer_teams` }
    : { delivered: false, reason: `'${i.consumerTeam}' is not in the producer's consumer_teams` };
}

/** The same input with every team name as Airflow compares it (see teamKey: lower-cased from 3.4). */
export function withTeamKeys(i: DeliveryInput, key: (team: string) => string): DeliveryInput {
  const k = (t: string | null) => (t === null ? null : key(t));
  return { ...i, producerTeam: k(i.producerTeam), consumerTeam: k(i.consumerTeam), producerTeams: i.producerTeams.map(key), consumerTeams: i.consumerTeams?.map(key) ?? null };
}

export function isEventDelivered(i: DeliveryInput): DeliveryResult {
  if (!i.multiTeam) return { delivered: true, reason: 'Multi-team disabled: no filtering' };
  const c = consumerAccepts(i);
  if (!c.delivered) return c;
  const p = producerAllows(i);
  if (!p.delivered) return p;
  return { delivered: true, reason: c.reason === p.reason ? c.reason : `${c.reason}; ${p.reason}` };
}

/** Settings an AssetAccessControl gives each side (defaults when absent). */
export interface AssetSettings {
  producerTeams: string[];
  allowGlobal: boolean;
  consumerTeams: string[] | null;
}

export function assetSettings(asset: Pick<AssetFact, 'accessControl' | 'allowProducerTeams'> | null): AssetSettings {
  const ac: AssetAccessControlFact | null = asset?.accessControl ?? null;
  const legacy = asset?.allowProducerTeams?.teams.map((t) => t.value) ?? [];
  return {
    producerTeams: ac?.producerTeams ? ac.producerTeams.map((t) => t.value) : legacy,
    allowGlobal: ac?.allowGlobal ? ac.allowGlobal.value : true,
    consumerTeams: ac?.consumerTeams ? ac.consumerTeams.map((t) => t.value) : null,
  };
}

export interface AssetProducer { dagId: string; team: string | null; assetKey: string; settings: AssetSettings }
export interface AssetConsumer { dagId: string; team: string | null; assetKey: string; settings: AssetSettings }

export interface AssetDeliveryEdge { producer: string; consumer: string; delivered: boolean; reason: string }

export interface AssetDeliveryReport {
  assetKey: string;
  edges: AssetDeliveryEdge[];
  /** Per consumer DAG: the teams (null = teamless DAG producers) whose DAG events its consumer-side check accepts. */
  acceptedTeams: Record<string, (string | null)[]>;
}

/**
 * For every asset key in a workspace: which producer DAG events reach which consumer DAGs, and
 * which teams' events may trigger each consumer (among `allTeams` and teamless producers).
 */
export function assetDeliveryByKey(multiTeam: boolean, producers: AssetProducer[], consumers: AssetConsumer[], allTeams: string[]): Map<string, AssetDeliveryReport> {
  const out = new Map<string, AssetDeliveryReport>();
  const report = (key: string) => {
    let r = out.get(key);
    if (!r) out.set(key, (r = { assetKey: key, edges: [], acceptedTeams: {} }));
    return r;
  };
  for (const c of consumers) {
    const r = report(c.assetKey);
    const candidates: (string | null)[] = [...new Set([...allTeams, ...c.settings.producerTeams]), null];
    r.acceptedTeams[c.dagId] = candidates.filter((team) =>
      isEventDelivered({ multiTeam, producerTeam: team, producerKind: 'dag', consumerTeam: c.team, producerTeams: c.settings.producerTeams,
        allowGlobal: c.settings.allowGlobal, consumerTeams: null, allowGlobalConsumers: true }).delivered);
    for (const p of producers.filter((x) => x.assetKey === c.assetKey)) {
      const d = isEventDelivered({ multiTeam, producerTeam: p.team, producerKind: 'dag', consumerTeam: c.team, producerTeams: c.settings.producerTeams,
        allowGlobal: c.settings.allowGlobal, consumerTeams: p.settings.consumerTeams, allowGlobalConsumers: p.settings.allowGlobal });
      r.edges.push({ producer: p.dagId, consumer: c.dagId, ...d });
    }
  }
  for (const p of producers) report(p.assetKey);
  return out;
}
