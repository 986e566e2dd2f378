/**
 * Same result as the MWAA sync DAG of seed 000, without its flaws. On two copies of every real
 * metadata fixture (SQLite and PostgreSQL natively, and each fixture's rows on MariaDB), prepared
 * the same way (the seed's two roles created by hand from Viewer as its instructions say, its edit
 * tags on some DAGs, one stale and one already-correct grant), the test oracle (the seed's algorithm,
 * test/helpers/seedOracle.ts) runs on one copy and our sync, configured by the fixture sync DAG, on the
 * other. Compared: every per-DAG grant (resources `DAG:<id>`) of every role.
 *
 * Where both can act (live DAGs whose `DAG:<id>` resource exists) the grants must be identical.
 * The only differences allowed are the seed's two flaws, each checked exactly: it grants on tagged
 * DAGs Airflow no longer lists as live, and it silently skips tagged DAGs without a `DAG:` resource
 * (our sync creates the resource and grants). Ours never deletes a grant it keeps (no window without
 * access: the already-correct grant keeps its row id), and a second run writes nothing.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import { loadConfigText } from '../../server/src/config/load';
import { openDatabase } from '../../server/src/db/connect';
import { readDbState } from '../../server/src/db/state';
import type { AccessConfig } from '../../server/src/model/config';
import { createPythonParser } from '../../server/src/parsing/treeSitter';
import { applyPlan } from '../../server/src/sync/apply';
import { planSync } from '../../server/src/sync/plan';
import { createPgDb, needsMaria, needsPg, sqliteCopy, tempDir, type TempDb } from '../helpers/dbServers';
import { fixtureIntoMaria } from '../helpers/fixtureToMaria';
import { fixturesDir, hasShared, metadataFixturesDir, needsShared } from '../helpers/paths';
import { runSeedOracle, type SeedMapping } from '../helpers/seedOracle';
import { firstId, perDagGrants, prepare, ROLES, TAG } from '../helpers/seedScenario';

const SEED_DAG = path.join(fixturesDir, 'mwaa', 'dags', 'permission_sync.py');

/** The oracle's input, read by Python's own ast.literal_eval (independent of our config loader). */
function seedMappings(): SeedMapping[] {
  const script = [
    'import ast, json, sys',
    'tree = ast.parse(open(sys.argv[1]).read())',
    'value = [n.value for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "role_mappings"][-1]',
    'print(json.dumps([list(e.values())[0] for e in ast.literal_eval(value)]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, SEED_DAG], { encoding: 'utf8' })) as SeedMapping[];
}

let config: AccessConfig;
let mappings: SeedMapping[];
let parser: Parser;
before(async () => {
  parser = await createPythonParser();
  const loaded = loadConfigText(SEED_DAG, fs.readFileSync(SEED_DAG, 'utf8'), { pythonParser: parser });
  assert.deepEqual(loaded.problems, []);
  config = loaded.config!;
  mappings = seedMappings();
});

async function assertEquivalent(make: () => Promise<TempDb>): Promise<{ comparable: number; seedOnly: number; oursOnly: number }> {
  const copies = [await make(), await make()];
  const [seedDb, ourDb] = await Promise.all(copies.map((c) => openDatabase({ url: c.url, env: {} })));
  const snapDir = tempDir();
  try {
    const prepSeed = await prepare(seedDb);
    const prep = await prepare(ourDb);
    assert.deepEqual(await perDagGrants(seedDb), await perDagGrants(ourDb), 'both copies start the same');
    assert.deepEqual(mappings.map((m) => [m.airflow_role, m.airflow_edit_tag]), ROLES.map((r) => [r, TAG[r as keyof typeof TAG]]));

    await runSeedOracle(seedDb, mappings);
    const plan = planSync(await readDbState(ourDb), config, { tagSource: 'db' });
    const revoked = new Set(plan.revokeGrants.map((g) => `${g.role}|${g.action}|${g.resource}`));
    assert.ok(!plan.addGrants.some((g) => revoked.has(`${g.role}|${g.action}|${g.resource}`)), 'no grant is revoked and added again');
    await applyPlan(ourDb, plan, { snapshotDir: snapDir, auditUser: 'test' });
    void prepSeed;

    const seed = await perDagGrants(seedDb);
    const ours = await perDagGrants(ourDb);
    const dagOf = (g: string) => g.split('|')[2].slice('DAG:'.length);
    const comparable = (g: string) => prep.live.has(dagOf(g)) && prep.resources.has(g.split('|')[2]);
    assert.deepEqual(ours.filter(comparable), seed.filter(comparable), 'same per-DAG grants on every live DAG with a DAG: resource');
    const seedOnly = seed.filter((g) => !ours.includes(g));
    const oursOnly = ours.filter((g) => !seed.includes(g));
    for (const g of seedOnly) assert.ok(!prep.live.has(dagOf(g)) && ROLES.includes(g.split('|')[0]), `seed-only grant not on a DAG that is gone: ${g}`);
    for (const g of oursOnly) assert.ok(prep.live.has(dagOf(g)) && !prep.resources.has(g.split('|')[2]), `our-only grant not on a newly created DAG resource: ${g}`);
    if (prep.keptGrant) {
      const id = await firstId(ourDb, 'SELECT g.id FROM ab_permission_view_role g JOIN ab_role r ON r.id = g.role_id JOIN ab_permission_view pv ON pv.id = g.permission_view_id JOIN ab_view_menu v ON v.id = pv.view_menu_id JOIN ab_permission p ON p.id = pv.permission_id WHERE r.name = ? AND v.name = ? AND p.name = ?', [prep.keptGrant.role, prep.keptGrant.resource, 'can_read']);
      assert.equal(id, prep.keptGrant.id, 'the grant that was already right keeps its row: never deleted and re-added');
    }

    const again = planSync(await readDbState(ourDb), config, { tagSource: 'db' });
    assert.equal(again.empty, true, `second run plans nothing (got ${again.summary.add} add, ${again.summary.revoke} revoke)`);
    const second = await applyPlan(ourDb, again, { snapshotDir: snapDir, auditUser: 'test' });
    assert.equal(second.rowsWritten, 0, 'second run writes nothing');
    return { comparable: ours.filter(comparable).filter((g) => ROLES.includes(g.split('|')[0])).length, seedOnly: seedOnly.length, oursOnly: oursOnly.length };
  } finally {
    await Promise.all([seedDb.close(), ourDb.close()]);
    await Promise.all(copies.map((c) => c.drop()));
    fs.rmSync(snapDir, { recursive: true, force: true });
  }
}

const fixtures = hasShared ? fs.readdirSync(metadataFixturesDir).filter((f) => /\.(sqlite|postgres\.sql)$/.test(f)).sort() : [];
const native = (f: string) => (f.endsWith('.sqlite') ? async () => sqliteCopy(path.join(metadataFixturesDir, f)) : () => createPgDb(path.join(metadataFixturesDir, f)));

describe('our sync vs the seed algorithm (oracle), per-DAG grants', { skip: needsShared }, () => {
  for (const f of fixtures.length ? fixtures : ['(no fixtures)']) {
    const pg = f.endsWith('.postgres.sql');
    test(`${f} on ${pg ? 'PostgreSQL' : 'SQLite'}`, { skip: pg ? needsPg : false }, async (t) => {
      const r = await assertEquivalent(native(f));
      t.diagnostic(`${r.comparable} grants of the seed's roles identical; seed-only on gone DAGs ${r.seedOnly}; ours-only on new DAG resources ${r.oursOnly}`);
      assert.ok(r.comparable > 0, 'the comparison covers grants of the seed roles');
    });
    test(`${f} on MariaDB (the fixture's rows in the project's MySQL schema)`, { skip: needsMaria || (pg ? needsPg : false) }, async (t) => {
      const source = await native(f)();
      try {
        const r = await assertEquivalent(() => fixtureIntoMaria(source.url));
        t.diagnostic(`${r.comparable} grants identical; seed-only ${r.seedOnly}; ours-only ${r.oursOnly}`);
        assert.ok(r.comparable > 0);
      } finally {
        await source.drop();
      }
    });
  }
});
