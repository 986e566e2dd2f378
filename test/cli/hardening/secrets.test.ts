/**
 * Secrets: a known test password goes in through AIRFLOW_ACCESS_DB_PASSWORD and inline in a
 * PostgreSQL URL (127.0.0.1 trusts any password). Every CLI command that touches the database, the
 * language server with verbose tracing and debug logging, and every file they write (plans, snapshots,
 * generated DAGs, the database's own tables) are scanned: the password must appear nowhere. An inline
 * password must draw a warning, and the URL must be shown redacted.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { after, before, describe, test } from 'node:test';
import { seedAirflowMetadata } from '../../../server/src/sync/demo';
import { airflowSchemaDdl } from '../../../server/src/db/airflowSchema';
import { openDatabase } from '../../../server/src/db/connect';
import { dumpAll } from '../../helpers/dbDump';
import { createPgDb, needsPg, PG_HOST, PG_USER, type TempDb } from '../../helpers/dbServers';
import { LspClient } from '../../helpers/lspClient';
import { cleanEnv, cliPath, copyExamples, runCli, tempDir, type CliResult } from '../cliRunner';

const PASSWORD = 'S3cr3t-Test-Pw';
const built = fs.existsSync(cliPath) ? false : `needs the built CLI at ${cliPath} (npm run build)`;
const EXAMPLE_DAGS = [
  { dagId: 'analytics_reporting_dag', tags: ['reporting', 'analytics'] },
  { dagId: 'marketing_leads', tags: ['marketing'] },
  { dagId: 'finance_ledger', tags: ['finance_read'] },
  { dagId: 'platform_maintenance', tags: ['platform'] },
];

/** Every file under `dir`, as text. */
function filesUnder(dir: string, out: [string, string][] = []): [string, string][] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out);
    else out.push([p, fs.readFileSync(p).toString('latin1')]);
  }
  return out;
}

async function seedPg(db: TempDb): Promise<void> {
  const conn = await openDatabase({ url: db.url, env: {} });
  try {
    for (const s of airflowSchemaDdl('sqlite', '2.10')) await conn.run(s.replace(/id INTEGER NOT NULL,/g, 'id SERIAL NOT NULL,'));
    await conn.transaction((tx) => seedAirflowMetadata(tx, '2.10', EXAMPLE_DAGS));
  } finally {
    await conn.close();
  }
}

describe('the test password never leaks', { skip: built || needsPg }, () => {
  let pg: TempDb;
  let root: string;
  let out: string;
  const seen: { where: string; text: string }[] = [];
  const record = (where: string, r: CliResult) => seen.push({ where: `${where} stdout`, text: r.stdout }, { where: `${where} stderr`, text: r.stderr });
  const bareUrl = () => `postgresql://${PG_USER}@${PG_HOST}:5432/${pg.name}`;
  const inlineUrl = () => `postgresql://${PG_USER}:${PASSWORD}@${PG_HOST}:5432/${pg.name}`;

  before(async () => {
    pg = await createPgDb();
    await seedPg(pg);
    root = copyExamples();
    out = tempDir('ada-secrets-out-');
  });
  after(async () => {
    await pg?.drop();
  });

  for (const mode of ['env', 'inline'] as const) {
    test(`CLI with the password ${mode === 'env' ? 'in AIRFLOW_ACCESS_DB_PASSWORD' : 'inline in the URL'}: plan, sync, drift, rollback, generate-sync-dag, errors`, async () => {
      const url = mode === 'env' ? bareUrl() : inlineUrl();
      const env = cleanEnv(mode === 'env' ? { AIRFLOW_ACCESS_DB_PASSWORD: PASSWORD } : {});
      const run = async (name: string, args: string[]) => {
        const r = await runCli(args, { cwd: root, env });
        record(`${mode}: ${name}`, r);
        return r;
      };
      const snaps = path.join(out, `snap-${mode}`);
      const planFile = path.join(out, `plan-${mode}.json`);
      for (const fmt of ['text', 'json', 'sql']) await run(`plan --format ${fmt}`, ['plan', '--db', url, '--format', fmt]);
      const saved = await run('plan -o', ['plan', '--db', url, '--format', 'json', '-o', planFile]);
      assert.equal(saved.code, 0, saved.stderr);
      await run('plan --verbose', ['plan', '--db', url, '--verbose']);
      const synced = await run('sync', ['sync', '--db', url, '--yes', '--snapshot-dir', snaps]);
      assert.equal(synced.code, 0, synced.stderr);
      await run('sync --json', ['sync', '--db', url, '--yes', '--snapshot-dir', snaps, '--json']);
      await run('drift', ['drift', '--db', url]);
      await run('drift --json', ['drift', '--db', url, '--json']);
      const snap = fs.readdirSync(snaps).map((f) => path.join(snaps, f))[0];
      assert.ok(snap, 'sync wrote a snapshot');
      const rolled = await run('rollback', ['rollback', snap, '--db', url, '--yes']);
      assert.equal(rolled.code, 0, rolled.stderr);
      await run('generate-sync-dag', ['generate-sync-dag', '--db', url, '-o', path.join(out, `sync_dag_${mode}.py`)]);
      await run('generate-sync-dag --plan', ['generate-sync-dag', '--plan', planFile, '-o', path.join(out, `sync_dag_plan_${mode}.py`)]);
      // Failures print the target too: an unreachable port and a database that does not exist.
      const down = mode === 'env' ? `postgresql://${PG_USER}@127.0.0.1:1/nope` : `postgresql://${PG_USER}:${PASSWORD}@127.0.0.1:1/nope`;
      const failed = await run('unreachable', ['plan', '--db', down]);
      assert.notEqual(failed.code, 0);
      const missingDb = mode === 'env' ? `postgresql://${PG_USER}@${PG_HOST}:5432/ada_no_such_db` : `postgresql://${PG_USER}:${PASSWORD}@${PG_HOST}:5432/ada_no_such_db`;
      await run('missing database', ['drift', '--db', missingDb]);
      await run('check', ['check']);
      if (mode === 'inline') {
        const all = seen.filter((s) => s.where.startsWith('inline')).map((s) => s.text).join('\n');
        assert.ok(all.includes(`${PG_USER}:***@`), 'the URL is shown redacted');
      }
    });
  }

  // Regression (found by this suite, fixed in cli/dbUrl.ts): the CLI used to redact an inline password
  // without warning that it was written in the URL (visible in shell history and process lists).
  test('the CLI warns about a password written inline in --db', () => {
    const stderr = seen.filter((s) => s.where.startsWith('inline') && s.where.endsWith('stderr')).map((s) => s.text).join('\n');
    assert.ok(stderr.split('\n').some((l) => /password/i.test(l) && /(inline|in the URL|--password-env|AIRFLOW_ACCESS_DB_PASSWORD)/i.test(l)), 'no inline-password warning on stderr');
  });

  test('language server with verbose trace and debug log: password via the notification and inline in the URL', async () => {
    for (const mode of ['notification', 'inline'] as const) {
      const url = mode === 'notification' ? bareUrl() : inlineUrl();
      const client = await LspClient.start({ folders: [root], settings: { database: { url }, logLevel: 'debug', trace: { server: 'verbose' } } });
      const traces: string[] = [];
      const answers: unknown[] = [];
      client.connection.onNotification('$/logTrace', (p: { message: string; verbose?: string }) => traces.push(`${p.message}\n${p.verbose ?? ''}`));
      try {
        await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
        if (mode === 'notification') await client.connection.sendNotification('airflowDagAccess/setDatabasePassword', { password: PASSWORD });
        const ask = async (method: string, params: unknown) => {
          try {
            answers.push(await client.request(method, params));
          } catch (e) {
            answers.push(String(e));
          }
        };
        await ask('airflowDagAccess/testConnection', {});
        await ask('airflowDagAccess/plan', {});
        await ask('airflowDagAccess/drift', {});
        // The server really reached the database in both modes (so the paths that could leak were exercised).
        const plan = answers[1] as { planId?: string; empty?: boolean } | string;
        assert.ok(typeof plan === 'object' && plan?.planId, `${mode}: plan failed: ${String(plan)}`);
        if (!plan.empty) {
          await ask('airflowDagAccess/apply', { planId: plan.planId });
          assert.equal(typeof answers[3], 'object', `${mode}: apply failed: ${String(answers[3])}`);
        }
        await ask('airflowDagAccess/explain', { dagId: 'marketing_leads' });
        if (mode === 'inline') {
          const logs = client.logs.join('\n');
          assert.match(logs, /contains a password/i, 'the inline password draws a warning');
          assert.ok(!logs.includes(`${PG_USER}:${PASSWORD}`), 'the URL is redacted in the log');
        }
      } finally {
        await client.stop();
      }
      seen.push({ where: `server ${mode}: logs`, text: client.logs.join('\n') }, { where: `server ${mode}: stderr`, text: client.stderr }, { where: `server ${mode}: traces`, text: traces.join('\n') }, { where: `server ${mode}: answers`, text: JSON.stringify(answers) });
    }
  });

  test('no output, log, trace, plan, snapshot, generated file or table row contains the password', async () => {
    for (const [file, text] of [...filesUnder(out), ...filesUnder(root)]) seen.push({ where: file, text });
    const conn = await openDatabase({ url: bareUrl(), env: {} });
    try {
      for (const [table, rows] of await dumpAll(conn)) seen.push({ where: `table ${table}`, text: rows.join('\n') });
    } finally {
      await conn.close();
    }
    assert.ok(seen.length > 40, `too little was captured (${seen.length})`);
    assert.ok(seen.some((s) => s.where.includes('snap-') && s.text.length > 0), 'no snapshot was scanned');
    const hits = seen.filter((s) => s.text.includes(PASSWORD) || s.text.includes(encodeURIComponent(PASSWORD))).map((s) => `${s.where}: …${s.text.slice(Math.max(0, s.text.indexOf(PASSWORD) - 60), s.text.indexOf(PASSWORD) + 30)}…`);
    assert.deepEqual(hits, []);
  });
});

test('the inline-password warning is for --db only: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN carries the password by design', { skip: built }, async () => {
  const root = copyExamples();
  const url = `postgresql://airflow:${PASSWORD}@127.0.0.1:1/airflow`;
  const inline = /password is written inline in the URL/;
  const fromEnv = await runCli(['plan', '--root', root], { env: cleanEnv({ AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: url }) });
  assert.equal(fromEnv.code, 3, fromEnv.stderr);
  assert.doesNotMatch(fromEnv.stderr, inline);
  const fromFlag = await runCli(['plan', '--root', root, '--db', url]);
  assert.equal(fromFlag.code, 3, fromFlag.stderr);
  assert.match(fromFlag.stderr, inline);
  for (const r of [fromEnv, fromFlag]) assert.ok(!(r.stdout + r.stderr).includes(PASSWORD));
});
