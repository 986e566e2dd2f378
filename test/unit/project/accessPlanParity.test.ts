/**
 * What the hover says is what the sync writes: for every DAG × role, the per-DAG grants the access
 * engine shows as coming from tags (Project.dagAccess: hover, explain, matrix, check) are exactly the
 * grants the planner wants to write from the same workspace (desiredHits, tag source `workspace`).
 * Run on the example workspace, the DAG fixtures and a generated 1,000-DAG workspace, each with the
 * configs that mean something there: exact tags, permission_tag_pattern with and without a `role`
 * group, built-in roles with and without manage_builtin, DAG-wide base roles, access_control DAGs,
 * Airflow before and after per-DAG "DAG Run:" resources.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DbState } from '../../../server/src/db/state';
import { versionAtLeast } from '../../../server/src/model/airflowVersion';
import { Project } from '../../../server/src/project/project';
import { workspaceDags } from '../../../server/src/project/workspaceDags';
import { parseSettings } from '../../../server/src/settings';
import { desiredHits } from '../../../server/src/sync/desired';
import { planInputs } from '../../../server/src/sync/inputs';
import { repoRoot } from '../../helpers/paths';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ada-parity-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A database that has never been synced, of the config's Airflow version: nothing to diff against. */
function freshState(version: string | null): DbState {
  const runs = versionAtLeast(version, '2.10');
  return {
    schema: { dialect: 'sqlite', airflowMajor: versionAtLeast(version, '3.0') ? 3 : 2, activeColumn: 'is_active', hasDagTable: true, hasDagTag: true, fabTables: true, missingFabTables: [],
      dagRunResources: runs, before210: !runs, hasLog: true, logColumns: [], alembicVersion: null, idExpr: {}, nameTypes: {}, hasUserRole: true },
    roles: [], actions: [], resources: [], permissionViews: [], grants: [], dags: [], inactiveDagIds: [],
  };
}

const ROLES = 40;
const pad = (n: number) => String(n).padStart(2, '0');

type Answer = Map<string, string[]>;
const key = (dagId: string, role: string) => `${dagId} × ${role}`;

/** The planner: what the sync would write for the workspace's tags, per DAG × role. */
function plannerAnswer(project: Project): Answer {
  const inputs = planInputs(project.config!, { tagSource: 'workspace', workspaceDags: workspaceDags(project) });
  const h = desiredHits(freshState(inputs.airflowVersion), inputs);
  const out: Answer = new Map();
  for (let i = 0; i < h.hitDag.length; i++) {
    const role = h.managed[h.hitRole[i]];
    const dagId = h.dags[h.hitDag[i]].dagId;
    const list = out.get(key(dagId, role.name)) ?? [];
    if (h.hitDagOk[i]) for (const a of role.dagActions) list.push(`DAG:${dagId} ${a}`);
    if (h.hitRunOk[i]) for (const a of role.dagRunActions) list.push(`DAG Run:${dagId} ${a}`);
    out.set(key(dagId, role.name), list);
  }
  return normalise(out);
}

/**
 * The engine: each DAG's per-DAG grants that come from a tag (reverted ones too: the sync writes them
 * and warns; and run grants that give nothing without access to the DAG, `needsDag`: the sync writes
 * them too). `noEffect` counts the latter.
 */
function engineAnswer(project: Project): Answer & { noEffect?: number } {
  const out: Answer & { noEffect?: number } = new Map();
  out.noEffect = 0;
  for (const { file, dag } of project.allDags()) {
    if (dag.dagId.kind !== 'static') continue;
    const dagId = dag.dagId.value;
    for (const role of project.dagAccess(file, dag)?.roles ?? []) {
      for (const g of role.grants) {
        if (g.scope !== 'dag' || !g.via.some((v) => v.kind === 'tag')) continue;
        if (g.needsDag) out.noEffect!++;
        const list = out.get(key(dagId, role.role)) ?? [];
        list.push(`${g.resource === 'DAGs' ? 'DAG:' : 'DAG Run:'}${dagId} ${g.action}`);
        out.set(key(dagId, role.role), list);
      }
    }
  }
  return Object.assign(normalise(out), { noEffect: out.noEffect });
}

function normalise(a: Answer): Answer {
  const out: Answer = new Map();
  for (const k of [...a.keys()].sort()) {
    const v = [...new Set(a.get(k))].sort();
    if (v.length) out.set(k, v);
  }
  return out;
}

/** Every DAG × role where the two disagree, as readable lines (empty: parity). */
function differences(engine: Answer, planner: Answer): string[] {
  const out: string[] = [];
  for (const k of new Set([...engine.keys(), ...planner.keys()])) {
    const e = engine.get(k) ?? [];
    const p = planner.get(k) ?? [];
    if (e.join('|') !== p.join('|')) out.push(`${k}: hover [${e.join(', ')}], sync [${p.join(', ')}]`);
  }
  return out.sort();
}

async function checkParity(root: string, configFile: string | null, expect: { minPairs: number; noEffect?: boolean }): Promise<void> {
  const settings = parseSettings({ safeMode: false, ...(configFile ? { configPath: configFile } : {}) }).settings;
  const project = await Project.open(root, settings);
  try {
    assert.ok(project.config, `the config loads: ${JSON.stringify(project.configProblems.slice(0, 3))}`);
    const engine = engineAnswer(project);
    const planner = plannerAnswer(project);
    const diff = differences(engine, planner);
    assert.deepEqual(diff.slice(0, 20), [], `${diff.length} DAG × role pairs disagree`);
    // Not vacuous: the workspace has tag grants to compare.
    assert.ok(planner.size >= expect.minPairs, `${planner.size} DAG × role pairs with grants, expected at least ${expect.minPairs}`);
    // Run grants the sync writes but that give nothing (the role cannot edit the DAG) are compared too.
    if (expect.noEffect) assert.ok(engine.noEffect! > 0, 'some tag run grant needs DAG access the role lacks');
  } finally {
    await project.dispose();
  }
}

function writeConfig(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** A config whose pattern names the role through its `role` group (Python's `(?P<role>...)` form). */
const CAPTURE_EXAMPLES = `version: 1
permission_tag_pattern: '^(?P<role>\\w+?)_(read|edit)$'
airflow: { version: "2.10" }
roles:
  analytics_reporting: { tags: [analytics_reporting_edit], dag_permissions: [can_read, can_edit, can_delete] }
  finance: { tags: [], dag_permissions: [can_read], dag_run_permissions: [can_read] }
  marketing: { tags: [marketing_analyst_edt], dag_permissions: [can_read, can_edit], base_role_dag_wide: true }
  Viewer: { tags: [finance], dag_permissions: [can_read, can_edit] }
`;

const CAPTURE_FIXTURES = `version: 1
permission_tag_pattern: '^(?P<role>[a-z_]+?)_(read|edit)$'
airflow: { version: "2.9" }
manage_builtin: true
roles:
  ml: { tags: [], dag_permissions: [can_read, can_edit] }
  finance: { tags: [reporting], dag_permissions: [can_read], dag_run_permissions: [can_read] }
  team_data: { tags: [etl], dag_permissions: [can_read, can_edit, can_delete] }
  still: { tags: [], dag_permissions: [can_read] }
  Op: { tags: [ops], dag_permissions: [can_read, can_edit] }
  ops: { tags: [legacy], dag_permissions: [can_read] }
`;

describe('the hover and the sync agree on every DAG × role', () => {
  test('the example workspace, with its own config (a pattern without a role group)', async () => {
    await checkParity(path.join(repoRoot, 'examples'), null, { minPairs: 2 });
  });

  test('the example workspace with a capture-group pattern: the `role` group names the role', async () => {
    await checkParity(path.join(repoRoot, 'examples'), writeConfig('examples-capture.yaml', CAPTURE_EXAMPLES), { minPairs: 3 });
  });

  test('the multi-team example workspace', async () => {
    await checkParity(path.join(repoRoot, 'examples', 'multi-team'), null, { minPairs: 1 });
  });

  test('the DAG fixtures with the seed role_mappings config', async () => {
    await checkParity(path.join(repoRoot, 'test', 'fixtures', 'dags'), path.join(repoRoot, 'test', 'fixtures', 'config', 'seed-role-mappings.yaml'), { minPairs: 1 });
  });

  test('the DAG fixtures with a capture-group pattern, manage_builtin and Airflow 2.9 (no DAG Run: resources)', async () => {
    await checkParity(path.join(repoRoot, 'test', 'fixtures', 'dags'), writeConfig('fixtures-capture.yaml', CAPTURE_FIXTURES), { minPairs: 4 });
  });

  test('the MWAA fixture workspace with its flat role_mappings list', async () => {
    await checkParity(path.join(repoRoot, 'test', 'fixtures', 'mwaa', 'dags'), path.join(repoRoot, 'test', 'fixtures', 'mwaa', 'flat-role-mappings.yaml'), { minPairs: 1 });
  });

  describe('a generated 1,000-DAG workspace', () => {
    const root = path.join(tmp, 'gen');
    before(() => generateWorkspace(root, 1000));
    for (const [name, version, manageBuiltin] of [['2.10', '2.10', false], ['2.9, manage_builtin', '2.9', true], ['no version', null, false]] as const) {
      test(`Airflow ${name}`, async () => {
        await checkParity(root, writeConfig(`gen-${name.replace(/\W+/g, '-')}.yaml`, generatedConfig(version, manageBuiltin)), { minPairs: 1000, noEffect: version !== '2.9' });
      });
    }
  });
});

/** 40 team roles (exact tags, some shared; DAG Run permissions, DAG-wide base roles, revoke_dag_wide), built-in roles with tags, and a `role`-group pattern. */
function generatedConfig(version: string | null, manageBuiltin: boolean): string {
  const lines = ['version: 1', "permission_tag_pattern: '^(?P<role>[A-Za-z]+(?:_\\d+)?)_(read|edit)$'"];
  lines.push(`airflow: { ${version ? `version: "${version}"` : ''} }`, `manage_builtin: ${manageBuiltin}`, 'roles:');
  for (let r = 0; r < ROLES; r++) {
    const tags = [`tag-${pad(r)}`, ...(r % 5 === 0 ? ['shared'] : [])];
    const perms = r % 3 === 0 ? '[can_read]' : r % 3 === 1 ? '[can_read, can_edit]' : '[can_read, can_edit, can_delete]';
    const runs = r % 4 === 0 ? ', dag_run_permissions: [can_read, can_create]' : '';
    const extra = r % 7 === 0 ? ', base_role_dag_wide: true' : r % 11 === 0 ? ', revoke_dag_wide: true' : '';
    lines.push(`  team_${pad(r)}: { tags: [${tags.join(', ')}], dag_permissions: ${perms}${runs}${extra}, cleanup: ${r % 2 === 0} }`);
  }
  lines.push('  Viewer: { tags: [viewer_edit], dag_permissions: [can_read, can_edit] }');
  lines.push('  Op: { tags: [], dag_permissions: [can_read, can_edit], dag_run_permissions: [can_read] }');
  lines.push('  Admin: { tags: [admin_tag], dag_permissions: [can_read] }');
  return lines.join('\n') + '\n';
}

/**
 * DAG i: an exact tag, a pattern tag naming a team role (or a role the config lacks, or with the wrong
 * case), sometimes a shared or built-in role's tag; every 10th DAG sets access_control (a dict, `{}` or
 * None), some files are broken (Airflow cannot import them), some DAG ids repeat in another file,
 * some are dynamic.
 */
function generateWorkspace(root: string, n: number): void {
  fs.mkdirSync(path.join(root, 'dags'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const tags = [`tag-${pad(i % ROLES)}`, `team_${pad((i * 7) % (ROLES + 5))}_${i % 2 ? 'edit' : 'read'}`];
    if (i % 5 === 0) tags.push('shared');
    if (i % 13 === 0) tags.push('viewer_edit', 'Op_read', 'Admin_edit', 'admin_tag');
    if (i % 17 === 0) tags.push(`TEAM_${pad(i % ROLES)}_read`, `nobody_read`, `team_${pad(i % ROLES)}_write`);
    const ac = i % 10 === 0 ? `, access_control={"team_${pad((i + 1) % ROLES)}": {"can_read"}}` : i % 10 === 1 ? ', access_control={}' : i % 10 === 2 ? ', access_control=None' : '';
    const id = i % 77 === 0 ? `f"dyn_{i}"` : `"gen_${String(i).padStart(5, '0')}"`;
    let text = `from airflow import DAG\n\ni = ${i}\nwith DAG(${id}, tags=${JSON.stringify(tags)}${ac}) as dag:\n    pass\n`;
    if (i % 97 === 5) text += '\ndef broken(:\n    pass\n';
    fs.writeFileSync(path.join(root, 'dags', `gen_${String(i).padStart(5, '0')}.py`), text);
    if (i % 50 === 3) {
      fs.writeFileSync(path.join(root, 'dags', `copy_${String(i).padStart(5, '0')}.py`), `from airflow import DAG\nwith DAG("gen_${String(i).padStart(5, '0')}", tags=["tag-${pad((i + 3) % ROLES)}", "team_${pad((i + 9) % ROLES)}_edit"]) as dag:\n    pass\n`);
    }
  }
}
