/**
 * The plan, drift and rollback documents: their own language, a tab title naming the database, the
 * server's text unchanged, and after the database changed the open ones computed again (issue 20:
 * the plan stayed open saying "94 to add" after it was applied).
 */
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DriftRequest, PlanRequest } from '../../../server/src/protocol';
import { PLAN_LANGUAGE } from '../../../client/src/constants';
import { planDocumentTitle, targetLabel } from '../../../client/src/format';
import { PlanDocuments } from '../../../client/src/planPreview';
import type { VirtualDocuments } from '../../../client/src/virtualDocuments';
import { folderOf } from './vscodeStub';

const PG = 'the PostgreSQL database airflow on db.internal:5432 (user airflow)';
const SQLITE = 'the SQLite database /srv/airflow/airflow.db';

describe('plan document titles', () => {
  it('name the database, never a password or the folder', () => {
    assert.equal(targetLabel(PG), 'PostgreSQL airflow on db.internal:5432 (user airflow)');
    assert.equal(targetLabel(SQLITE), 'SQLite airflow.db');
    assert.equal(targetLabel('the MySQL database test on 127.0.0.1:3306 (user root)'), 'MySQL test on 127.0.0.1:3306 (user root)');
    assert.equal(planDocumentTitle('plan', PG), 'Sync plan — PostgreSQL airflow on db.internal:5432 (user airflow)');
    assert.equal(planDocumentTitle('drift', SQLITE), 'Permission drift — SQLite airflow.db');
    assert.equal(planDocumentTitle('rollback', SQLITE), 'Rollback preview — SQLite airflow.db');
  });
});

/** VirtualDocuments as PlanDocuments uses it: contents by path, which ones are open. */
class FakeDocs {
  contents = new Map<string, string>();
  shown: { path: string; language?: string; pin?: boolean }[] = [];
  closed = new Set<string>();
  uriOf(path: string) {
    return { toString: () => `airflow-dag-access:/${path}` };
  }
  isOpen(uri: { toString(): string }) {
    return [...this.contents.keys()].some((p) => `airflow-dag-access:/${p}` === uri.toString() && !this.closed.has(p));
  }
  set(path: string, content: string) {
    this.contents.set(path, content);
    return this.uriOf(path);
  }
  async showText(path: string, content: string, o: { language?: string; pin?: boolean } = {}) {
    this.set(path, content);
    this.shown.push({ path, ...o });
    return {};
  }
}

function plan(text: string): PlanRequest.Result {
  return { planId: 'p1', folderUri: 'file:///work/ws', text, json: {}, summary: { add: 0, revoke: 0, createRoles: 0, createResources: 0, warnings: 0 }, empty: false, target: PG };
}

function setup(next: { plan?: string | Error; drift?: string }) {
  const docs = new FakeDocs();
  const calls: string[] = [];
  const warnings: string[] = [];
  const server = {
    plan: async (p: PlanRequest.Params) => {
      calls.push(`plan ${p.folderUri}`);
      if (next.plan instanceof Error) throw next.plan;
      return plan(next.plan ?? '');
    },
    drift: async (p: DriftRequest.Params): Promise<DriftRequest.Result> => {
      calls.push(`drift ${p.folderUri}`);
      return { text: next.drift ?? '', json: {}, count: 0, target: PG };
    },
  };
  const output = { warn: (m: string) => warnings.push(m) };
  const plans = new PlanDocuments(docs as unknown as VirtualDocuments, server as never, output as never);
  return { docs, calls, warnings, plans };
}

const ws = folderOf('ws') as never;
const PLAN_PATH = 'plan/ws/Sync plan — PostgreSQL airflow on db.internal:5432 (user airflow)';

describe('PlanDocuments', () => {
  it('shows the server text unchanged, in the plan language, titled with the target', async () => {
    const { docs, plans } = setup({});
    await plans.showPlan(ws, plan('Sync plan p1 (PostgreSQL, Airflow 2.x, tags from the deployed dag_tag rows)\n\n  ! DAG "x" sets access_control\nPlan: 1 to add.'));
    assert.deepEqual(docs.shown, [{ path: PLAN_PATH, language: PLAN_LANGUAGE, pin: true }]);
    assert.equal(docs.contents.get(PLAN_PATH), 'Sync plan p1 (PostgreSQL, Airflow 2.x, tags from the deployed dag_tag rows)\n\n  ! DAG "x" sets access_control\nPlan: 1 to add.\n');
  });

  it('after the database changed, computes the open plan and drift again in the same documents', async () => {
    const { docs, calls, plans } = setup({ plan: 'Sync plan p2\n\nNo changes. The database matches the config.', drift: 'No drift: the database matches the config.' });
    await plans.showPlan(ws, plan('Plan: 94 to add, 0 to revoke.'));
    await plans.showDrift(ws, { text: 'Drift: 0 unexplained, 94 missing.', json: {}, count: 94, target: PG });
    await plans.refresh(ws);
    assert.deepEqual(calls.sort(), ['drift file:///work/ws', 'plan file:///work/ws']);
    assert.equal(docs.contents.get(PLAN_PATH), 'Sync plan p2\n\nNo changes. The database matches the config.\n');
    assert.equal(docs.contents.get('drift/ws/Permission drift — PostgreSQL airflow on db.internal:5432 (user airflow)'), 'No drift: the database matches the config.\n');
  });

  it('does not compute closed documents again, nor other folders\' ones', async () => {
    const { docs, calls, plans } = setup({ plan: 'new' });
    await plans.showPlan(ws, plan('old'));
    docs.closed.add(PLAN_PATH);
    await plans.refresh(ws);
    await plans.refresh(folderOf('other') as never);
    assert.deepEqual(calls, []);
    assert.equal(docs.contents.get(PLAN_PATH), 'old\n');
  });

  it('a failed re-plan replaces the stale plan with the reason, and is logged as a warning', async () => {
    const { docs, warnings, plans } = setup({ plan: new Error('Cannot connect to the database: refused') });
    await plans.showPlan(ws, plan('Plan: 94 to add, 0 to revoke.'));
    await plans.refresh(ws);
    const text = docs.contents.get(PLAN_PATH)!;
    assert.doesNotMatch(text, /94 to add/);
    assert.match(text, /computing the sync plan again failed:\nCannot connect to the database: refused/);
    assert.equal(warnings.length, 1);
  });
});
