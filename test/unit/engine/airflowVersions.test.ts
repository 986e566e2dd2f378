/**
 * Each version-dependent rule of docs/airflow-versions.md at the releases on both sides of its change
 * (engine level; test/db/airflowVersions.test.ts does the same through real fixture databases).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseOfRevision, versionMatchesRelease } from '../../../server/src/db/alembicVersions';
import { accessControlEffect, whenAirflowReverts } from '../../../server/src/engine/accessControl';
import { computeDagAccess } from '../../../server/src/engine/dagAccess';
import { defaultRolePermissions } from '../../../server/src/engine/defaultRoles';
import { formatDagAccessMarkdown } from '../../../server/src/engine/explainFormat';
import { patchGate } from '../../../server/src/engine/version';
import type { DagAccess } from '../../../server/src/model/access';
import { accessControl, config, dag, role } from './factBuilders';

const FILE = '/ws/dags/example.py';
const cfg = (version: string | null) => config([role('sales', ['sales_read'], ['can_read'], { baseRole: 'Public' }), role('ops', [], ['can_read'], { baseRole: 'Public' })], { version });
const salesPerDag = (a: DagAccess) => a.roles.find((r) => r.role === 'sales')?.grants.filter((g) => g.scope === 'dag' && !g.reverted).map((g) => `${g.resource}.${g.action}`) ?? [];
const access = (version: string | null, ac: Parameters<typeof accessControl>[0] | undefined, tags = ['sales_read']) =>
  computeDagAccess({ dag: dag({ tags, accessControl: ac === undefined ? null : accessControl(ac) }), file: FILE, config: cfg(version) });

describe('access_control None / {} by release (sync_perm_for_dag; apache/airflow#30340, #32839, #33632)', () => {
  const rows: [string | null, 'absent' | 'None' | '{}', string[]][] = [
    ['2.6.1', '{}', ['DAGs.can_read']],
    ['2.6.2', '{}', []],
    ['2.7.1', '{}', []],
    ['2.6.1', 'None', ['DAGs.can_read']],
    ['2.6.2', 'None', []],
    ['2.7.0', 'None', []],
    ['2.7.0', 'absent', []],
    ['2.7.1', 'None', ['DAGs.can_read']],
    ['2.7.1', 'absent', ['DAGs.can_read']],
    [null, 'absent', ['DAGs.can_read']],
  ];
  for (const [version, form, grants] of rows) {
    test(`${form} on ${version ?? 'latest'}: the tag grant ${grants.length ? 'stays' : 'is revoked'}`, () => {
      const a = access(version, form === 'absent' ? undefined : form === 'None' ? null : {});
      assert.deepEqual(salesPerDag(a), grants);
      const reverted = a.conflicts.filter((c) => c.kind === 'tag_reverted_by_access_control');
      assert.equal(reverted.length, grants.length ? 0 : 1);
    });
  }

  test('2.6.2 to 2.7.0: a DAG without access_control loses its tag grant, and the message says why and when', () => {
    const c = access('2.7.0', undefined).conflicts.find((x) => x.kind === 'tag_reverted_by_access_control')!;
    assert.equal(c.message, "Tag 'sales_read' grants 'sales' access, but Airflow 2.7.0 removes every per-DAG grant of a DAG whose access_control is None (apache/airflow#32839, fixed in 2.7.1): Airflow reverts the grant the next time the DAG changes (Airflow 2 re-syncs a DAG only when its serialized form changes): until then the grant exists, and a tag sync after that puts it back, so access flaps. List the role in access_control, or upgrade to Airflow 2.7.1 or later.");
  });

  test('a version without its patch, where the patches differ: the latest patch, with a note', () => {
    assert.deepEqual([patchGate('2.7', '2.7.1'), patchGate('2.7.0', '2.7.1'), patchGate('2.7.3', '2.7.1'), patchGate('2.8', '2.7.1'), patchGate(null, '2.7.1')], ['ambiguous', 'no', 'yes', 'yes', 'yes']);
    const a = access('2.7', undefined);
    assert.deepEqual(salesPerDag(a), ['DAGs.can_read']);
    assert.match(a.conflicts.find((c) => c.kind === 'version_ambiguous')!.message, /^On Airflow 2\.7\.0 a DAG without access_control loses every per-DAG grant/);
    assert.deepEqual(accessControlEffect('empty', '2.6'), { effect: 'wipe', note: 'Airflow 2.6.0 and 2.6.1 skip an empty access_control; from 2.6.2 it removes every per-DAG grant. Set airflow.version to the exact release.' });
    assert.equal(accessControlEffect('none', '2.8').note, null);
  });
});

describe('when Airflow reverts: 3.x every parse under FAB, 2.x when the DAG changes (the same words in every view)', () => {
  const dict = { ops: ['can_read'] };
  test('explain / hover (Markdown) on 2.10 and on 3.0', () => {
    for (const [version, words] of [['2.10', 'the next time the DAG changes'], ['3.0', 'at every parse of the DAG (Airflow 3 with the FAB auth manager)']] as const) {
      const md = formatDagAccessMarkdown(access(version, dict), { dagFile: FILE });
      assert.ok(md.includes(`Airflow reverts the grant ${words}`), md);
      if (version === '2.10') assert.match(md, /access flaps/);
    }
    assert.equal(whenAirflowReverts(null), 'at its next parse (Airflow 3) or next change (2.x)');
  });
});

describe('a role access_control names that does not exist (find_role, then raise)', () => {
  test('without a database: not in the config or the defaults; it gets nothing, the roles before it keep theirs', () => {
    const a = access('2.10', { ops: ['can_read'], ghost: ['can_read'], sales: ['can_read'] }, []);
    assert.deepEqual(a.conflicts.map((c) => [c.kind, c.severity, c.role]), [['unknown_role', 'error', 'ghost']]);
    const perDag = (r: string) => a.roles.find((x) => x.role === r)?.grants.filter((g) => g.scope === 'dag').map((g) => g.action) ?? [];
    assert.deepEqual(perDag('ops'), ['can_read'], 'granted before the sync raised');
    assert.deepEqual(perDag('ghost'), []);
    assert.deepEqual(perDag('sales'), [], 'after the failing entry: not granted');
    assert.equal(a.summary.canRead, 5, 'Admin, Op, User, Viewer and ops; not ghost');
  });

  test('with a database: ab_role decides, even for a role the config names', () => {
    const a = computeDagAccess({ dag: dag({ accessControl: accessControl({ sales: ['can_read'] }) }), file: FILE, config: cfg('2.10'), existingRoles: new Set(['Admin', 'Viewer']) });
    assert.match(a.conflicts[0].message, /^Role 'sales' is not in the database's ab_role yet \(`airflow-access sync` creates it from the config\)\. Until it exists, Airflow's sync of this DAG's access_control revokes the other roles' per-DAG grants, then fails the DAG's import/);
    const b = computeDagAccess({ dag: dag({ accessControl: accessControl({ sales: ['can_read'] }) }), file: FILE, config: cfg('2.10'), existingRoles: new Set(['sales']) });
    assert.deepEqual(b.conflicts, []);
    assert.deepEqual(salesPerDag(b), ['DAGs.can_read']);
  });
});

describe('a config role missing from the database, granted by its tag and listed in access_control (examples/finance_ledger)', () => {
  // _sync_dag_view_permissions revokes by the mapping as written (access_control.get(role.name)) before
  // find_role raises: the tag grant our sync writes once it creates the role is one the mapping keeps.
  const a = computeDagAccess({ dag: dag({ tags: ['sales_read'], accessControl: accessControl({ sales: ['can_read'] }) }), file: FILE, config: cfg('2.10'), existingRoles: new Set(['Admin', 'Op', 'User', 'Viewer', 'Public']) });
  test('the tag grant is not reverted: the role reads the DAG once the sync creates it', () => {
    assert.deepEqual(salesPerDag(a), ['DAGs.can_read']);
    assert.deepEqual(a.conflicts.map((c) => c.kind), ['unknown_role']);
    assert.equal(a.roles.find((r) => r.role === 'sales')!.grants.find((g) => g.scope === 'dag')!.via.map((v) => v.kind).join(), 'tag');
  });
  test('a role the mapping does not list still loses its tag grant', () => {
    const b = computeDagAccess({ dag: dag({ tags: ['sales_read'], accessControl: accessControl({ ops: ['can_read'] }) }), file: FILE, config: cfg('2.10'), existingRoles: new Set(['Admin', 'Viewer']) });
    assert.deepEqual(salesPerDag(b), []);
    assert.deepEqual(b.conflicts.map((c) => c.kind), ['unknown_role', 'tag_reverted_by_access_control']);
  });
});

describe('access_control actions and forms by release', () => {
  const kinds = (a: DagAccess) => a.conflicts.map((c) => `${c.kind}:${c.severity}`);
  test('per-DAG can_delete: invalid on 2.2, valid from 2.3 (apache/airflow#21938)', () => {
    assert.deepEqual(kinds(access('2.2', { sales: ['can_read', 'can_delete'] }, [])), ['invalid_action:error']);
    assert.deepEqual(salesPerDag(access('2.2', { sales: ['can_read', 'can_delete'] }, [])), []);
    assert.deepEqual(kinds(access('2.3', { sales: ['can_read', 'can_delete'] }, [])), []);
  });
  test('can_dag_read: mapped with a warning on 2.10, rejected on 3.0', () => {
    assert.deepEqual(kinds(access('2.10', { sales: ['can_dag_read'] }, [])), ['deprecated_action:warning']);
    assert.deepEqual(salesPerDag(access('2.10', { sales: ['can_dag_read'] }, [])), ['DAGs.can_read']);
    assert.deepEqual(kinds(access('3.0', { sales: ['can_dag_read'] }, [])), ['deprecated_action:error']);
    assert.deepEqual(salesPerDag(access('3.0', { sales: ['can_dag_read'] }, [])), []);
  });
  test('nested form: an import error on 2.9 (the stale grants still go), valid on 2.10', () => {
    const old = access('2.9', { sales: { DAGs: ['can_read'] } });
    assert.deepEqual(kinds(old), ['nested_needs_2_10:error', 'tag_reverted_by_access_control:warning']);
    assert.deepEqual(salesPerDag(old), []);
    assert.deepEqual(kinds(access('2.10', { sales: { DAGs: ['can_read'] } })), []);
    assert.deepEqual(salesPerDag(access('2.10', { sales: { DAGs: ['can_read'] } })), ['DAGs.can_read']);
  });
});

describe('default roles by release', () => {
  const has = (role: 'Viewer' | 'User' | 'Op' | 'Admin', v: string, action: string, resource: string) => defaultRolePermissions(role, v).some(([a, r]) => a === action && r === resource);
  const sides: [string, string, 'Viewer' | 'User' | 'Op' | 'Admin', string, string][] = [
    // before, from, role, permission that appears at `from`
    ['2.0.1', '2.0.0', 'Viewer', 'can_read', 'Configurations'],
    ['2.3', '2.4', 'Viewer', 'can_read', 'Datasets'],
    ['2.6', '2.7', 'Viewer', 'menu_access', 'Cluster Activity'],
    ['2.7', '2.8', 'Viewer', 'can_read', 'Pools'],
    ['2.9', '2.10', 'User', 'can_create', 'Datasets'],
    ['2.10', '3.0', 'Viewer', 'can_read', 'DAG Versions'],
  ];
  for (const [before, from, r, action, resource] of sides) {
    test(`${r} ${action} ${resource}: not on ${before}, on ${from}`, () => {
      assert.equal(has(r, before, action, resource), false);
      assert.equal(has(r, from, action, resource), true);
    });
  }
  test('Viewer reads Audit Logs up to 2.9; from 2.10 only Admin does', () => {
    assert.equal(has('Viewer', '2.9', 'can_read', 'Audit Logs'), true);
    assert.equal(has('Viewer', '2.10', 'can_read', 'Audit Logs'), false);
    assert.equal(has('Admin', '2.10', 'can_read', 'Audit Logs'), true);
  });
  test('what reaches every DAG is the same on every release', () => {
    for (const v of ['2.0.0', '2.3', '2.6', '2.7', '2.9', '2.10', '3.0', '3.3']) {
      const dagWide = (r: 'Viewer' | 'User') => defaultRolePermissions(r, v).filter(([, res]) => res === 'DAGs' || res === 'DAG Runs').filter(([a]) => a !== 'menu_access').map(([a, res]) => `${a} ${res}`).sort();
      assert.deepEqual(dagWide('Viewer'), ['can_read DAG Runs', 'can_read DAGs'], v);
      assert.deepEqual(dagWide('User'), ['can_create DAG Runs', 'can_delete DAG Runs', 'can_delete DAGs', 'can_edit DAG Runs', 'can_edit DAGs', 'can_read DAG Runs', 'can_read DAGs'], v);
    }
  });
});

describe('alembic_version -> release (migrations-ref / _REVISION_HEADS_MAP)', () => {
  test('heads, ranges and unknown revisions', () => {
    assert.deepEqual(releaseOfRevision('e959f08ac86c'), { revision: 'e959f08ac86c', version: '2.0.0', label: '2.0.0 up to 2.0.1 (exclusive)', from: '2.0.0', before: '2.0.1' });
    assert.equal(releaseOfRevision('c804e5c76e3e')?.version, '2.6.2');
    assert.equal(releaseOfRevision('405de8318b3a')?.version, '2.7', 'every 2.7.x shares this head');
    assert.equal(releaseOfRevision('22ED7EFA9DA2')?.version, '2.10.0');
    assert.equal(releaseOfRevision('658517c60c7f')?.label, '3.2.0 or later');
    assert.equal(releaseOfRevision('4bc4d934e2bc')?.version, '2.6.2');
    assert.equal(releaseOfRevision('deadbeef0000'), null);
    assert.equal(releaseOfRevision(null), null);
  });
  test('a configured version matches the release range it can be', () => {
    const r210 = releaseOfRevision('5f2621c13b39')!;
    assert.deepEqual(['2.10', '2.10.4', '2.11', '2', '2.10.2', '2.9', '3.0'].map((v) => versionMatchesRelease(v, r210)), [true, true, true, true, false, false, false]);
    const r27 = releaseOfRevision('405de8318b3a')!;
    assert.deepEqual(['2.7', '2.7.1', '2.8', '2.6'].map((v) => versionMatchesRelease(v, r27)), [true, true, false, false]);
  });
});
