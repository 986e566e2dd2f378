/** What is at a position: pure lookups over file facts and the config, used by hover, definition, completion... */
import type { AccessConfig, RoleConfig } from '../model/config';
import type { AccessControlRoleFact, AssetFact, AssetRefFact, DagFact, FileFacts, Located, Position, Range, TagFact } from '../model/facts';

export function contains(r: Range, p: Position): boolean {
  const afterStart = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const beforeEnd = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return afterStart && beforeEnd;
}

export type PySymbol =
  | { kind: 'tag'; dag: DagFact; tag: TagFact; index: number }
  | { kind: 'dagId'; dag: DagFact }
  | { kind: 'acRole'; dag: DagFact; role: AccessControlRoleFact }
  | { kind: 'acAction'; dag: DagFact; role: AccessControlRoleFact; action: TagFact; resource: string }
  | { kind: 'acResource'; dag: DagFact; role: AccessControlRoleFact; resource: Located<string> }
  | { kind: 'assetRef'; dag: DagFact; ref: AssetRefFact; side: 'schedule' | 'outlet' }
  | { kind: 'asset'; asset: AssetFact; index: number }
  | { kind: 'team'; asset: AssetFact; team: TagFact; field: 'producer_teams' | 'consumer_teams' | 'allow_producer_teams' };

/** The symbol under `pos` in a DAG file, innermost first. Only in-file literals count (not imported ones). */
export function symbolAt(facts: FileFacts, pos: Position): PySymbol | null {
  for (const dag of facts.dags) {
    const items = dag.tags?.items ?? [];
    for (let i = 0; i < items.length; i++) {
      const tag = items[i];
      if ((!tag.via || tag.via.file === facts.file) && contains(tag.range, pos)) return { kind: 'tag', dag, tag, index: i };
    }
    // The name of a constant in `tags=` (`tags=TEAM_TAGS`, `[*BASE, EXTRA]`): its tags, wherever defined.
    for (let i = 0; i < items.length; i++) {
      const ref = items[i].via?.refRange;
      if (ref && contains(ref, pos)) return { kind: 'tag', dag, tag: items[i], index: i };
    }
    if (contains(dag.dagId.range, pos)) return { kind: 'dagId', dag };
    const ac = dag.accessControl;
    if (ac && (!ac.via || ac.via.file === facts.file)) {
      for (const role of ac.roles) {
        if (contains(role.role.range, pos)) return { kind: 'acRole', dag, role };
        for (const res of role.resources) {
          if (res.resource && contains(res.resource.range, pos)) return { kind: 'acResource', dag, role, resource: res.resource };
          for (const action of res.actions) {
            if (contains(action.range, pos)) return { kind: 'acAction', dag, role, action, resource: res.resource?.value ?? 'DAGs' };
          }
        }
      }
    }
    for (const ref of dag.schedule) if (contains(ref.range, pos)) return { kind: 'assetRef', dag, ref, side: 'schedule' };
    for (const p of dag.producers) for (const ref of p.outlets) if (contains(ref.range, pos)) return { kind: 'assetRef', dag, ref, side: 'outlet' };
  }
  for (let i = 0; i < facts.assets.length; i++) {
    const asset = facts.assets[i];
    const teams: [TagFact[] | null | undefined, 'producer_teams' | 'consumer_teams' | 'allow_producer_teams'][] = [
      [asset.accessControl?.producerTeams, 'producer_teams'],
      [asset.accessControl?.consumerTeams, 'consumer_teams'],
      [asset.allowProducerTeams?.teams, 'allow_producer_teams'],
    ];
    for (const [list, field] of teams) for (const team of list ?? []) if (contains(team.range, pos)) return { kind: 'team', asset, team, field };
    if (contains(asset.range, pos) || (asset.variable && contains(asset.variable.range, pos))) return { kind: 'asset', asset, index: i };
  }
  for (const dag of facts.dags) if (contains(dag.nameRange, pos)) return { kind: 'dagId', dag };
  return null;
}

/** The DAG whose definition contains `pos` (for code actions and explain at a cursor). */
export function dagAt(facts: FileFacts, pos: Position): DagFact | null {
  let best: DagFact | null = null;
  for (const dag of facts.dags) if (contains(dag.range, pos) || contains(dag.nameRange, pos)) best = dag;
  return best;
}

export type ConfigSymbol =
  | { kind: 'role'; role: RoleConfig }
  | { kind: 'configTag'; role: RoleConfig; tag: string; range: Range }
  | { kind: 'permission'; role: RoleConfig; permission: string; range: Range; resource: 'DAGs' | 'DAG Runs' };

export function configSymbolAt(config: AccessConfig, pos: Position): ConfigSymbol | null {
  for (const role of config.roles) {
    if (contains(role.nameRange, pos)) return { kind: 'role', role };
    for (const t of role.tags) if (contains(t.range, pos)) return { kind: 'configTag', role, tag: t.value, range: t.range };
    for (const p of role.dagPermissions) if (contains(p.range, pos)) return { kind: 'permission', role, permission: p.value, range: p.range, resource: 'DAGs' };
    for (const p of role.dagRunPermissions) if (contains(p.range, pos)) return { kind: 'permission', role, permission: p.value, range: p.range, resource: 'DAG Runs' };
  }
  return null;
}
