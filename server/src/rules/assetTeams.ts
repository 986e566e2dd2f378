/** ADA015 deprecated Asset(allow_producer_teams=...) with its migration, ADA016 unknown team names. */
import { closestMatch } from '../config/didYouMean';
import { teamKey, teamNamesFolded } from '../engine/teams';
import type { AssetFact, FileFacts, TagFact } from '../model/facts';
import type { Fix, TextEditFact } from '../model/findings';
import { innerRange } from './helpers';
import type { FileRule, RuleFinding } from './rule';

export const allowProducerTeams: FileRule = {
  code: 'ADA015',
  scope: 'file',
  check({ facts }) {
    const out: RuleFinding[] = [];
    for (const asset of facts.assets) {
      const apt = asset.allowProducerTeams;
      if (!apt) continue;
      out.push({
        file: facts.file,
        range: apt.keywordRange,
        message: `allow_producer_teams is deprecated since Airflow 3.3; use access_control=AssetAccessControl(producer_teams=[...]).`,
        tags: ['deprecated'],
        fixes: asset.accessControl ? [] : [migrateFix(facts, asset)],
      });
    }
    return out;
  },
};

export function migrateFix(facts: FileFacts, asset: AssetFact): Fix {
  const apt = asset.allowProducerTeams!;
  const teams = apt.teams.map((t) => JSON.stringify(t.value)).join(', ');
  const edits: TextEditFact[] = [
    { file: facts.file, range: { start: apt.keywordRange.start, end: apt.range.end }, newText: `access_control=AssetAccessControl(producer_teams=[${teams}])` },
  ];
  const importEdit = addImportEdit(facts, 'AssetAccessControl');
  if (importEdit) edits.push(importEdit);
  return { title: 'Migrate to access_control=AssetAccessControl(producer_teams=[...])', kind: 'quickfix', isPreferred: true, edits };
}

/** Import `symbol` from the module `Asset` comes from (airflow.sdk by default), unless already imported. */
export function addImportEdit(facts: FileFacts, symbol: string): TextEditFact | null {
  if (facts.imports.some((i) => i.alias === symbol || i.symbol === symbol)) return null;
  const assetImport = facts.imports.find((i) => i.symbol === 'Asset' || i.symbol === 'Dataset');
  const module = assetImport?.module ?? 'airflow.sdk';
  const sameModule = facts.imports.filter((i) => i.module === module && i.symbol && i.symbol !== '*');
  if (sameModule.length) {
    const last = sameModule.reduce((a, b) => (cmp(b.range.end, a.range.end) > 0 ? b : a));
    return { file: facts.file, range: { start: last.range.end, end: last.range.end }, newText: `, ${symbol}` };
  }
  const first = facts.imports[0];
  const line = first ? first.range.start.line : 0;
  return { file: facts.file, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `from ${module} import ${symbol}\n` };
}

function cmp(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

export const unknownTeam: FileRule = {
  code: 'ADA016',
  scope: 'file',
  check({ ctx, facts }) {
    const teams = ctx.config?.teams.map((t) => t.name) ?? [];
    if (!teams.length) return [];
    // From Airflow 3.4 team names are lower-cased, so only the letters matter, not their case.
    const folded = teamNamesFolded(ctx.airflowVersion());
    const known = new Set(teams.map((t) => teamKey(t, folded)));
    const out: RuleFinding[] = [];
    const report = (t: TagFact, field: string) => {
      if (known.has(teamKey(t.value, folded))) return;
      const suggestion = closestMatch(t.value, teams);
      const caseOnly = !folded && teams.some((n) => n.toLowerCase() === t.value.toLowerCase());
      out.push({
        file: facts.file,
        range: t.range,
        message:
          `Team '${t.value}' in ${field} is not a team of the config (${teams.join(', ')}); Airflow does not check team names, so events meant for it are silently blocked.` +
          `${caseOnly ? ' Before Airflow 3.4 team names are case-sensitive.' : ''}${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
        fixes: suggestion ? [{ title: `Replace with '${suggestion}'`, kind: 'quickfix', isPreferred: true, edits: [{ file: facts.file, range: innerRange(t.range), newText: suggestion }] }] : [],
      });
    };
    for (const asset of facts.assets) {
      for (const t of asset.accessControl?.producerTeams ?? []) report(t, 'producer_teams');
      for (const t of asset.accessControl?.consumerTeams ?? []) report(t, 'consumer_teams');
      for (const t of asset.allowProducerTeams?.teams ?? []) report(t, 'allow_producer_teams');
    }
    return out;
  },
};
