/** The client's pure helpers: restart backoff, notification texts, status items and the tree model. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { StatusNotification, TreeRequest } from '../../../server/src/protocol';
import { applySummary, configStatus, databaseStatus, planSummary } from '../../../client/src/format';
import { initializationOptions } from '../../../client/src/initOptions';
import { RestartPolicy } from '../../../client/src/restartPolicy';
import { buildTree, dagChildren, roleChildren } from '../../../client/src/treeModel';
import { fileLinksToCommands } from '../../../client/src/markdownLinks';

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
  const cfg = { uri: 'file:///ws/airflow-access.yaml', line: 11, character: 6 };
  const tag: TreeRequest.Reason = { kind: 'tag', label: 'via tag analyst_edit', actions: ['read', 'edit'], dagWide: false, reverted: false, tooltip: 'Tag `analyst_edit` on the DAG is mapped to role `analyst`', location: cfg };
  const ac: TreeRequest.Reason = { kind: 'access_control', label: 'via access_control', actions: ['read'], dagWide: false, reverted: false, tooltip: "The DAG's access_control lists `analyst`", location: loc };
  const base: TreeRequest.Reason = { kind: 'base_role', label: 'DAG-wide: base role Viewer', actions: ['read', 'runs: read'], dagWide: true, reverted: false, tooltip: 'Role `audit` is created from base role `Viewer`', location: cfg };
  const result: TreeRequest.Result = {
    roles: [{ role: 'analyst', location: cfg, dags: 1, reverted: 0 }, { role: 'idle', dags: 0, reverted: 0 }],
    dags: [{ dagId: 'a', location: loc, roles: 1, defaultRoles: true }],
    assets: [
      { key: 'sales', triggeringTeams: ['team_ml'], consumers: ['train'], producers: ['produce'] },
      { key: 'private', triggeringTeams: [], consumers: [], producers: [] },
    ],
  };
  const analyst: TreeRequest.RoleDetail = { role: 'analyst', tooltip: '**Role `analyst`**', dags: [{ dagId: 'a', actions: ['read', 'edit'], location: loc, reasons: [tag] }] };

  it('the top level has counts and lazy roles and DAGs; their children come from the server when expanded', () => {
    const [roles, dags, assets] = buildTree(result);
    assert.deepEqual([roles.label, dags.label, assets.label], ['Roles', 'DAGs', 'Assets']);
    assert.deepEqual(roles.children.map((n) => [n.label, n.description, n.children.length, n.lazy]), [
      ['analyst', '1 DAG', 0, { kind: 'role', name: 'analyst' }],
      ['idle', '0 DAGs', 0, undefined],
    ]);
    assert.deepEqual(roles.children[0].location, cfg, 'a click on a role opens its config line');
    assert.deepEqual([dags.children[0].description, dags.children[0].lazy], ['1 role + default roles', { kind: 'dag', name: 'a' }]);
    assert.deepEqual(assets.children[0].children.map((n) => n.label), ['team_ml']);
    assert.match(assets.children[1].children[0].label, /no team/);
  });

  it('says why a role reaches a DAG, with a Markdown tooltip and a click on the config line that maps the tag', () => {
    const [child] = roleChildren(analyst);
    assert.deepEqual([child.id, child.label, child.description], ['role/analyst/a', 'a', 'read, edit — via tag analyst_edit']);
    assert.deepEqual(child.location, cfg, 'a click opens the tag mapping in the config');
    assert.match(child.tooltipMarkdown ?? '', /^\*\*analyst\*\* on DAG `a`\n\n- Tag `analyst_edit` on the DAG is mapped/);
    assert.deepEqual(child.children, [], 'one reason: no child per reason');
    const onDag = dagChildren({ dagId: 'a', roles: [{ role: 'analyst', actions: ['read', 'edit'], reasons: [tag] }] });
    assert.deepEqual(onDag.map((n) => [n.id, n.description]), [['dag/a/analyst', 'read, edit — via tag analyst_edit']]);
  });

  it('lists each source of a grant as a child that opens its own line when there are several', () => {
    const child = roleChildren({ ...analyst, dags: [{ dagId: 'a', actions: ['read', 'edit'], location: loc, reasons: [tag, ac] }] })[0];
    assert.equal(child.description, 'read, edit — via tag analyst_edit, via access_control');
    assert.deepEqual(child.children.map((n) => [n.label, n.description, n.location]), [['via tag analyst_edit', 'read, edit', cfg], ['via access_control', 'read', loc]]);
    assert.deepEqual(child.children.map((n) => n.icon), ['tag', 'shield']);
  });

  it('shows DAG-wide access as one "all DAGs" line under the role, not a child per DAG', () => {
    const [audit] = buildTree({ roles: [{ role: 'audit', dags: 0, reverted: 0, dagWide: ['read', 'runs: read'] }], dags: [], assets: [] })[0].children;
    assert.deepEqual([audit.description, audit.lazy?.name], ['0 DAGs + all DAGs', 'audit']);
    const children = roleChildren({ role: 'audit', tooltip: '', dagWide: { actions: ['read', 'runs: read'], reasons: [base] }, dags: [] });
    assert.deepEqual(children.map((n) => [n.label, n.description, n.icon]), [['all DAGs', 'read · runs: read — DAG-wide: base role Viewer', 'globe']]);
    assert.deepEqual(children[0].location, cfg);
    const onDag = dagChildren({ dagId: 'a', roles: [{ role: 'audit', actions: ['read'], reasons: [base] }, { role: 'analyst', actions: ['read', 'edit'], reasons: [tag] }], defaultRoles: 'Admin, Op, User: read, edit, delete · Viewer: read', dagWideRoles: 'sre: read' });
    assert.deepEqual(onDag.map((n) => [n.label, n.description]), [
      ['Default roles (DAG-wide)', 'Admin, Op, User: read, edit, delete · Viewer: read'],
      ['Roles with DAG-wide access', 'sre: read'],
      ['audit', 'read — DAG-wide: base role Viewer'],
      ['analyst', 'read, edit — via tag analyst_edit'],
    ]);
    assert.match(onDag[0].tooltipMarkdown ?? '', /every DAG/);
  });

  it('marks a grant that access_control reverts', () => {
    const reverted = { ...tag, label: 'via tag analyst_edit (reverted by access_control)', reverted: true };
    const child = roleChildren({ ...analyst, dags: [{ dagId: 'a', actions: [], location: loc, reasons: [reverted] }] })[0];
    assert.deepEqual([child.description, child.icon], ['nothing — via tag analyst_edit (reverted by access_control)', 'warning']);
    assert.equal(buildTree({ ...result, roles: [{ role: 'analyst', dags: 0, reverted: 1 }] })[0].children[0].description, '0 DAGs (1 reverted)');
  });

  it("shows the engine's findings about the pair: a warning icon, a count in the description, the text in the tooltip", () => {
    const finding = { severity: 'warning' as const, message: "Role 'analyst' is not in the database's ab_role yet." };
    const child = roleChildren({ ...analyst, dags: [{ dagId: 'a', actions: ['read', 'edit'], location: loc, reasons: [tag], findings: [finding] }] })[0];
    assert.deepEqual([child.description, child.icon], ['read, edit — via tag analyst_edit — ⚠ 1 finding', 'warning']);
    assert.match(child.tooltipMarkdown ?? '', /\n\n⚠ Role 'analyst' is not in the database's ab_role yet\.$/);
    const info = dagChildren({ dagId: 'a', roles: [{ role: 'analyst', actions: ['read'], reasons: [tag], findings: [{ severity: 'info', message: 'held in the DB too' }] }] })[0];
    assert.deepEqual([info.description, info.icon], ['read — via tag analyst_edit — ℹ 1 finding', 'person'], 'an info finding does not turn the entry into a warning');
    assert.match(info.tooltipMarkdown ?? '', /\n\nℹ held in the DB too$/);
  });

    it('gives every node a unique id, prefixed per folder, the lazy children too', () => {
    const ids: string[] = [];
    const walk = (n: { id: string; children: any[] }) => (ids.push(n.id), n.children.forEach(walk));
    buildTree(result, 'file:///ws#').forEach(walk);
    roleChildren({ ...analyst, dags: [{ dagId: 'a', actions: ['read'], location: loc, reasons: [tag, ac] }] }, 'file:///ws#').forEach(walk);
    dagChildren({ dagId: 'a', roles: [{ role: 'analyst', actions: ['read'], reasons: [tag] }], defaultRoles: 'x', dagWideRoles: 'y' }, 'file:///ws#').forEach(walk);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('file:///ws#')));
  });
});

describe('explain panel links', () => {
  it('turns file links with a #L line into command links that open the file at that (0-based) line', () => {
    const md = '- via tag `x` ([airflow-access.yaml:12](file:///ws/airflow-access.yaml#L12)) — read\n[site](https://airflow.apache.org) [a b](file:///ws/dags/a%20b.py)';
    const out = fileLinksToCommands(md, 'airflowDagAccess.openLocation');
    const links = [...out.matchAll(/\]\(command:airflowDagAccess\.openLocation\?([^)]+)\)/g)].map((m) => JSON.parse(decodeURIComponent(m[1])));
    assert.deepEqual(links, [
      [{ uri: 'file:///ws/airflow-access.yaml', line: 11, character: 0, column: 1 }],
      [{ uri: 'file:///ws/dags/a%20b.py', line: 0, character: 0, column: 1 }],
    ]);
    assert.match(out, /^- via tag `x` \(\[airflow-access\.yaml:12\]\(command:/);
    assert.match(out, /\[site\]\(https:\/\/airflow\.apache\.org\)/, 'other links unchanged');
    assert.doesNotMatch(out, /file:\/\//);
    // Reference-style links (the dag_id hover's): the definitions become command links too.
    const refs = fileLinksToCommands('- via tag ([airflow-access.yaml:12][1])\n\n[1]: file:///ws/airflow-access.yaml#L12', 'c');
    assert.match(refs, /^- via tag \(\[airflow-access\.yaml:12\]\[1\]\)\n\n\[1\]: command:c\?(\S+)$/);
    assert.deepEqual(JSON.parse(decodeURIComponent(refs.split('command:c?')[1])), [{ uri: 'file:///ws/airflow-access.yaml', line: 11, character: 0, column: 1 }]);
  });
});
