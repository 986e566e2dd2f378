/** The client's pure helpers: restart backoff, notification texts, status items and the tree model. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StatusNotification, TreeRequest } from '../../../server/src/protocol';
import { applySummary, configStatus, databaseStatus, planSummary } from '../../../client/src/format';
import { initializationOptions } from '../../../client/src/initOptions';
import { RestartPolicy } from '../../../client/src/restartPolicy';
import { buildTree } from '../../../client/src/treeModel';

describe('RestartPolicy', () => {
  const options = { maxRestarts: 3, windowMs: 60_000, baseDelayMs: 1000, maxDelayMs: 3000 };

  it('backs off exponentially up to the cap, then gives up', () => {
    const p = new RestartPolicy(options);
    assert.deepEqual(p.onCrash(0), { restart: true, delayMs: 1000, attempt: 1 });
    assert.deepEqual(p.onCrash(10), { restart: true, delayMs: 2000, attempt: 2 });
    assert.deepEqual(p.onCrash(20), { restart: true, delayMs: 3000, attempt: 3 });
    assert.equal(p.onCrash(30).restart, false);
  });

  it('forgets crashes outside the window and after a manual restart', () => {
    const p = new RestartPolicy(options);
    p.onCrash(0);
    p.onCrash(1);
    assert.equal(p.onCrash(70_000).attempt, 1);
    p.onCrash(70_001);
    p.reset();
    assert.equal(p.onCrash(70_002).attempt, 1);
  });
});

describe('initializationOptions', () => {
  const context = (storage: string | undefined) => ({
    asAbsolutePath: (p: string) => `/ext/${p}`,
    storageUri: storage === undefined ? undefined : { fsPath: storage },
    globalStorageUri: { fsPath: '/global' },
  });

  it('sends the wasm folder and a facts cache in the workspace storage', () => {
    assert.deepEqual(initializationOptions(context('/ws-storage')), { wasmDir: '/ext/dist', cacheDir: '/ws-storage/facts-cache' });
  });

  it('keeps the facts cache in the global storage when no folder is open', () => {
    assert.equal(initializationOptions(context(undefined)).cacheDir, '/global/facts-cache');
  });
});

describe('notification texts', () => {
  it('summarises a plan and an apply', () => {
    assert.equal(planSummary({ add: 1, revoke: 2, createRoles: 1, createResources: 0, warnings: 2 }), '1 grant to add, 2 to revoke, 1 role to create, 2 warnings');
    assert.equal(applySummary({ added: 3, revoked: 0, createdRoles: 0, createdResources: 2 }), '3 grants added, 0 revoked, 2 resources created');
  });
});

function folder(over: Partial<StatusNotification.FolderStatus>): StatusNotification.FolderStatus {
  return {
    folderUri: 'file:///ws',
    configFile: '/ws/airflow-access.yaml',
    configState: 'ok',
    configProblems: 0,
    dagCount: 4,
    fileCount: 6,
    db: { state: 'off' },
    ...over,
  };
}

describe('status items', () => {
  it('shows a loaded config with the DAG count', () => {
    const s = configStatus([folder({})]);
    assert.equal(s.severity, 'information');
    assert.match(s.text, /4 DAGs/);
  });

  it('flags a broken config as an error naming the file', () => {
    const s = configStatus([folder({ configState: 'invalid', configProblems: 2 })]);
    assert.equal(s.severity, 'error');
    assert.match(s.detail, /2 problems in airflow-access\.yaml/);
  });

  it('warns when no folder has a config', () => {
    assert.equal(configStatus([folder({ configState: 'missing', configFile: null })]).severity, 'warning');
  });

  it('shows the database state and drift', () => {
    assert.match(databaseStatus([folder({})]).text, /not configured/);
    assert.match(databaseStatus([folder({ db: { state: 'connected', driftCount: 0 } })]).text, /in sync/);
    const drift = databaseStatus([folder({ db: { state: 'connected', driftCount: 3 } })]);
    assert.equal(drift.severity, 'warning');
    assert.match(drift.text, /3 drift/);
    const failed = databaseStatus([folder({ db: { state: 'error', message: 'auth failed' } })]);
    assert.deepEqual([failed.severity, failed.detail], ['error', 'auth failed']);
    const simple = databaseStatus([folder({ db: { state: 'connected', noSync: 'simple auth manager: Airflow reads no FAB grants, so there is nothing to sync' } })]);
    assert.deepEqual([simple.text, simple.detail], ['$(database) DB connected · no FAB sync', 'simple auth manager: Airflow reads no FAB grants, so there is nothing to sync']);
  });
});

describe('tree model', () => {
  const loc = { uri: 'file:///ws/dags/a.py', line: 3, character: 4 };
  const result: TreeRequest.Result = {
    roles: [{ role: 'analyst', dags: [{ dagId: 'a', actions: ['can_read', 'can_edit'], location: loc }] }],
    dags: [{ dagId: 'a', location: loc, roles: [{ role: 'analyst', actions: ['can_read'] }] }],
    assets: [
      { key: 'sales', triggeringTeams: ['team_ml'], consumers: ['train'], producers: ['produce'] },
      { key: 'private', triggeringTeams: [], consumers: [], producers: [] },
    ],
  };

  it('builds Roles → DAGs → permissions, DAGs → roles, Assets → teams', () => {
    const [roles, dags, assets] = buildTree(result);
    assert.deepEqual([roles.label, dags.label, assets.label], ['Roles', 'DAGs', 'Assets']);
    assert.deepEqual(roles.children[0].children[0].children.map((n) => n.label), ['can_read', 'can_edit']);
    assert.deepEqual(roles.children[0].children[0].location, loc);
    assert.equal(dags.children[0].children[0].description, 'can_read');
    assert.deepEqual(assets.children[0].children.map((n) => n.label), ['team_ml']);
    assert.match(assets.children[1].children[0].label, /no team/);
  });

  it('shows the default roles of a DAG on one line and marks DAG-wide actions apart from per-DAG ones', () => {
    const wide: TreeRequest.Result = {
      roles: [{ role: 'audit', dags: [{ dagId: 'a', actions: ['can_read'], location: loc, dagWide: ['can_read'] }] }],
      dags: [{ dagId: 'a', location: loc, roles: [{ role: 'audit', actions: ['can_read'], dagWide: ['can_read'] }, { role: 'analyst', actions: ['can_read'] }], defaultRoles: 'Admin, Op, User: read, edit, delete · Viewer: read' }],
      assets: [],
    };
    const [roles, dags] = buildTree(wide);
    assert.deepEqual(dags.children[0].children.map((n) => [n.label, n.description]), [
      ['Default roles (DAG-wide)', 'Admin, Op, User: read, edit, delete · Viewer: read'],
      ['audit', 'can_read (DAG-wide: can_read)'],
      ['analyst', 'can_read'],
    ]);
    assert.equal(dags.children[0].description, '2 roles + default roles');
    assert.equal(roles.children[0].children[0].description, 'can_read (DAG-wide: can_read)');
  });

  it('gives every node a unique id, prefixed per folder', () => {
    const ids: string[] = [];
    const walk = (n: { id: string; children: any[] }) => (ids.push(n.id), n.children.forEach(walk));
    buildTree(result, 'file:///ws#').forEach(walk);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('file:///ws#')));
  });
});
