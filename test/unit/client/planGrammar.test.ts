/**
 * The plan document grammar (syntaxes/airflow-access-plan.tmLanguage.json) on the text the server
 * really writes (formatPlanText, rollbackPreview): added, revoked, created, differing tags, warnings
 * and the summary get standard scopes (markup.inserted / deleted / changed, invalid, markup.heading),
 * which every theme colours, with the markers indented as in the CLI's text.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatPlanText } from '../../../server/src/sync/formatText';
import type { SyncPlan } from '../../../server/src/sync/types';
import { readJson } from './manifestHelpers';
import { MiniGrammar, compile, type GrammarJson, type Token } from './textmate';

const grammar = new MiniGrammar(readJson<GrammarJson>('syntaxes/airflow-access-plan.tmLanguage.json'));

const grant = (role: string, action: string, dagId: string, reason: string) => ({ role, action, resource: `DAG:${dagId}`, dagId, reason });
const plan = {
  planId: 'abc123',
  target: { dialect: 'postgres', airflowMajor: 2, dagRunResources: true },
  tagSource: 'db',
  createRoles: [{ name: 'analytics_reporting', baseRole: 'Viewer', copied: 12, dagWideLeftOut: ['can_read'] }],
  createActions: [],
  createResources: ['DAG:finance_ledger'],
  createPermissionViews: [{ action: 'can_read', resource: 'DAG:finance_ledger' }],
  addGrants: [grant('analytics_reporting', 'can_read', 'analytics_reporting_dag', 'tag "analytics_reporting_edit"')],
  revokeGrants: [grant('marketing_analyst', 'can_edit', 'old_dag', 'not explained by the config')],
  tagDiffs: [{ dagId: 'finance_ledger', workspace: ['finance', 'finance_read'], deployed: ['finance'], file: '/ws/dags/finance_ledger.py' }],
  warnings: [{ code: 'access-control-reverts', dagId: 'finance_ledger', message: 'DAG "finance_ledger" sets access_control without "analytics_reporting": Airflow will revoke those tag-based grants on it.' }],
  summary: { add: 1, revoke: 1, createRoles: 1, createResources: 1, warnings: 1 },
  empty: false,
} as unknown as SyncPlan;

const text = formatPlanText(plan, { root: '/ws' });
const lines = grammar.tokenize(text);
const lineOf = (start: string): Token[] => {
  const i = text.split('\n').findIndex((l) => l.trimStart().startsWith(start));
  assert.ok(i >= 0, `no line starting with ${start} in\n${text}`);
  return lines[i];
};
const has = (scopes: string[] | undefined, scope: string) => !!scopes?.some((s) => s === scope || s.startsWith(scope + '.'));
/** The scopes of the token holding `fragment` on the line starting with `start`. */
const scopesAt = (start: string, fragment: string) => lineOf(start).find((t) => t.text.includes(fragment))?.scopes;

describe('plan document grammar', () => {
  it('every regexp compiles', () => {
    for (const re of grammar.allRegexps()) assert.doesNotThrow(() => compile(re), re);
  });

  it('colours added grants as inserted, revoked grants as deleted (markers indented), and leaves the reason uncoloured as the CLI does', () => {
    assert.match(text, /^ {4}\+ can_read/m, 'the CLI text indents the markers');
    assert.ok(has(scopesAt('+ can_read', 'DAG:analytics_reporting_dag'), 'markup.inserted'));
    assert.ok(has(scopesAt('+ can_read', '+'), 'markup.inserted'));
    assert.ok(has(scopesAt('- can_edit', 'DAG:old_dag'), 'markup.deleted'));
    for (const [start, reason] of [['+ can_read', 'tag "analytics_reporting_edit"'], ['- can_edit', 'not explained by the config'], ['+ role', 'copy of Viewer']]) {
      const scopes = scopesAt(start, reason);
      assert.ok(has(scopes, 'meta.reason') && !has(scopes, 'markup'), `${reason}: ${scopes}`);
    }
  });

  it('colours created roles and resources as inserted, with the name set apart', () => {
    assert.ok(has(scopesAt('+ role', '"analytics_reporting"'), 'markup.bold'));
    assert.ok(has(scopesAt('+ role', '"analytics_reporting"'), 'markup.inserted'));
    assert.ok(has(scopesAt('+ resource', 'DAG:finance_ledger'), 'markup.inserted'));
    assert.ok(has(scopesAt('+ permission', 'can_read'), 'markup.inserted'));
  });

  it('colours tag differences as changed and warnings as invalid (the access_control revert stands out)', () => {
    assert.ok(has(scopesAt('~ finance_ledger', 'deployed'), 'markup.changed'));
    assert.ok(has(scopesAt('! DAG', 'Airflow will revoke'), 'invalid'));
  });

  it('marks the title, the section headings and the summary line', () => {
    assert.ok(has(scopesAt('Sync plan abc123', 'Sync plan'), 'markup.heading'));
    for (const h of ['Roles to create:', 'Grants:', 'Warnings:', 'Tags that differ between the workspace and the database:']) assert.ok(has(scopesAt(h, h), 'markup.heading'), h);
    assert.ok(has(scopesAt('Plan: 1 to add', 'Plan:'), 'markup.bold'));
    assert.ok(has(grammar.tokenize('No changes. The database matches the config.')[0][0].scopes, 'markup.bold'));
    // A role's group line is not a change.
    assert.ok(!lineOf('role "marketing_analyst"').some((t) => has(t.scopes, 'markup.inserted') || has(t.scopes, 'markup.deleted')));
  });

  it('colours the rollback preview (markers at column 0)', () => {
    const [title, , removed, restored] = grammar.tokenize('Rolling back plan abc (synced 2026-01-01) on the SQLite database /x.db:\n\n- team  can_read  DAG:a   (added by the sync: removed)\n+ team  can_edit  DAG:b   (revoked by the sync: restored)\n');
    assert.ok(has(title[0].scopes, 'markup.heading'));
    assert.ok(has(removed.find((t) => t.text.includes('DAG:a'))?.scopes, 'markup.deleted'));
    assert.ok(has(restored.find((t) => t.text.includes('DAG:b'))?.scopes, 'markup.inserted'));
    assert.ok(!has(removed.find((t) => t.text.includes('added by the sync'))?.scopes, 'markup'), 'the reason of a removed row is not coloured as a change');
  });
});
