import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { cleanEnv, cliPath, copyExamples, runCli } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

describe('airflow-access check', { skip: built }, () => {
  test('text: the unmapped tag in the example is one gcc-style line, and warnings do not fail by default', async () => {
    const root = copyExamples();
    const r = await runCli(['check', '--root', root]);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.includes('ADA001'));
    assert.ok(line, r.stdout);
    assert.match(line, /^dags\/marketing_leads\.py:\d+:\d+: warning ADA001 .*marketing_analyst_edt/);
    assert.match(r.stdout, /\d+ problems? \(.*\d+ warnings?.*\) in \d+ files \(\d+ DAGs\)\./);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
  });

  test('--fail-on warning exits 1; --severity CODE=off hides a code; --severity CODE=error makes it an error', async () => {
    const root = copyExamples();
    const fail = await runCli(['check', '--fail-on', 'warning'], { cwd: root });
    assert.equal(fail.code, 1);
    const upgraded = await runCli(['check', '--severity', 'ADA001=error'], { cwd: root });
    assert.equal(upgraded.code, 1);
    assert.match(upgraded.stdout, /marketing_leads\.py:\d+:\d+: error ADA001/);
    const off = await runCli(['check', '--severity', 'ADA001=off', '--json'], { cwd: root });
    const report = JSON.parse(off.stdout) as { findings: JsonFinding[] };
    assert.ok(!report.findings.some((f) => f.code === 'ADA001'));
    const bad = await runCli(['check', '--severity', 'ADA001=loud'], { cwd: root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /level must be one of/);
  });

  test('what makes Airflow fail the import is an error: --fail-on error fails the job (unknown role; can_dag_read on 3.x; nested form before 2.10)', async () => {
    const root = copyExamples();
    const ledger = path.join(root, 'dags', 'finance_ledger.py');
    const original = fs.readFileSync(ledger, 'utf8');
    const cases: [string, string | null, string][] = [
      ['{"finance_auditr": {"can_read"}}', null, 'ADA004'],
      ['{"finance_auditor": {"can_dag_read"}}', '3.0', 'ADA006'],
      ['{"finance_auditor": {"DAGs": {"can_read"}}}', '2.9', 'ADA007'],
    ];
    for (const [ac, version, code] of cases) {
      fs.writeFileSync(ledger, original.replace('{"finance_auditor": {"can_read"}}', ac));
      const args = ['check', '--fail-on', 'error', '--json'];
      const cfgFile = path.join(root, 'airflow-access.yaml');
      const cfg = fs.readFileSync(cfgFile, 'utf8');
      if (version) fs.writeFileSync(cfgFile, cfg.replace(/version: "2\.10"/, `version: "${version}"`));
      const r = await runCli(args, { cwd: root });
      if (version) fs.writeFileSync(cfgFile, cfg);
      const found = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.code === code);
      assert.deepEqual(found.map((f) => [f.file, f.severity]), [['dags/finance_ledger.py', 'error']], `${code}: ${r.stdout}`);
      assert.equal(r.code, 1, `${code} fails the run`);
    }
    // On Airflow 2 can_dag_read is only deprecated: a warning, and the run passes.
    fs.writeFileSync(ledger, original.replace('{"finance_auditor": {"can_read"}}', '{"finance_auditor": {"can_dag_read"}}'));
    const r2 = await runCli(['check', '--fail-on', 'error', '--json'], { cwd: root });
    assert.deepEqual((JSON.parse(r2.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.code === 'ADA006').map((f) => f.severity), ['warning']);
    assert.equal(r2.code, 0, r2.stdout);
  });

  test('--format json: the documented shape, 1-based positions, paths relative to the root', async () => {
    const root = copyExamples();
    const r = await runCli(['check', '--format', 'json'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      schemaVersion: number;
      tool: { name: string; version: string };
      root: string;
      config: string | null;
      summary: Record<string, number>;
      findings: JsonFinding[];
    };
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.tool.name, 'airflow-access');
    assert.equal(fs.realpathSync(report.root), fs.realpathSync(root));
    assert.equal(report.config, 'airflow-access.yaml');
    for (const k of ['files', 'dags', 'errors', 'warnings', 'infos', 'hints']) assert.equal(typeof report.summary[k], 'number', k);
    assert.ok(report.summary.dags >= 4);
    const f = report.findings.find((x) => x.code === 'ADA001');
    assert.ok(f);
    assert.equal(f.file, 'dags/marketing_leads.py');
    const src = fs.readFileSync(path.join(root, f.file), 'utf8').split('\n');
    // The reported range covers the quoted tag literal on its 1-based line.
    assert.equal(src[f.startLine - 1].slice(f.startColumn - 1, f.endColumn - 1), '"marketing_analyst_edt"');
    assert.equal(report.summary.warnings, report.findings.filter((x) => x.severity === 'warning').length);
  });

  test('--format sarif: valid SARIF 2.1.0 with rules and 1-based regions, written with -o', async () => {
    const root = copyExamples();
    const r = await runCli(['check', '--format', 'sarif', '-o', 'out/report.sarif'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    const sarif = JSON.parse(fs.readFileSync(path.join(root, 'out', 'report.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'airflow-access');
    const rules = run.tool.driver.rules as { id: string; shortDescription: { text: string }; helpUri?: string; defaultConfiguration: { level: string } }[];
    assert.ok(rules.length >= 10);
    for (const rule of rules) {
      assert.match(rule.id, /^ADA\d{3}$/);
      assert.ok(rule.shortDescription.text.length > 0);
      assert.ok(['error', 'warning', 'note', 'none'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run.results.length > 0);
    for (const res of run.results) {
      assert.ok(['error', 'warning', 'note', 'none'].includes(res.level));
      assert.equal(rules[res.ruleIndex].id, res.ruleId);
      assert.ok(res.message.text.length > 0);
      const loc = res.locations[0].physicalLocation;
      assert.equal(loc.artifactLocation.uriBaseId, '%SRCROOT%');
      assert.ok(!path.isAbsolute(loc.artifactLocation.uri));
      assert.ok(fs.existsSync(path.join(root, decodeURI(loc.artifactLocation.uri))));
      assert.ok(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1);
      assert.ok(Number.isInteger(loc.region.startColumn) && loc.region.startColumn >= 1);
    }
    const unmapped = run.results.find((x: { ruleId: string }) => x.ruleId === 'ADA001');
    assert.equal(unmapped.level, 'warning');
    assert.equal(unmapped.locations[0].physicalLocation.artifactLocation.uri, 'dags/marketing_leads.py');
  });

  test('paths limit the report to those files', async () => {
    const root = copyExamples();
    const r = await runCli(['check', 'dags/platform_maintenance.py', '--json'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: { files: number } };
    assert.equal(report.summary.files, 1);
    assert.ok(report.findings.every((f) => f.file === 'dags/platform_maintenance.py'));
    const missing = await runCli(['check', 'dags/nope.py'], { cwd: root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: dags\/nope\.py/);
  });

  test('config errors and Python syntax errors are findings at their exact line, and fail the run', async () => {
    const root = copyExamples();
    const cfg = path.join(root, 'airflow-access.yaml');
    fs.writeFileSync(cfg, fs.readFileSync(cfg, 'utf8').replace('cleanup: true', 'cleanup: maybe'));
    fs.writeFileSync(path.join(root, 'dags', 'broken.py'), 'from airflow import DAG\nwith DAG("broken_dag", tags=["x"] as dag:\n    pass\n');
    const r = await runCli(['check', '--json'], { cwd: root });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
    const configErr = report.findings.find((f) => f.file === 'airflow-access.yaml' && f.severity === 'error');
    assert.ok(configErr, JSON.stringify(report.findings, null, 1));
    const lineNo = fs.readFileSync(cfg, 'utf8').split('\n').findIndex((l) => l.includes('cleanup: maybe')) + 1;
    assert.equal(configErr.startLine, lineNo);
    const syntax = report.findings.find((f) => f.file === 'dags/broken.py' && f.severity === 'error');
    assert.ok(syntax, JSON.stringify(report.findings, null, 1));
  });

  test('colour: only with FORCE_COLOR (stdout is a pipe here), never with --no-color', async () => {
    const root = copyExamples();
    const forced = await runCli(['check'], { cwd: root, env: cleanEnv({ FORCE_COLOR: '1' }) });
    assert.match(forced.stdout, /\x1b\[33mwarning\x1b\[39m/);
    const off = await runCli(['check', '--no-color'], { cwd: root, env: cleanEnv({ FORCE_COLOR: '1' }) });
    assert.doesNotMatch(off.stdout, /\x1b\[/);
  });

  test('a workspace without a config still reports (default roles only)', async () => {
    const root = copyExamples();
    fs.rmSync(path.join(root, 'airflow-access.yaml'));
    const r = await runCli(['check', '--json'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { config: string | null };
    assert.equal(report.config, null);
  });

  test('a dag-factory file is ADA013 with its YAML; a bare @asset is ADA027 and its file registers no DAG', async () => {
    const root = copyExamples();
    fs.writeFileSync(path.join(root, 'dags', 'yaml_teams.py'), '# airflow DAGs from YAML\nfrom dagfactory import load_yaml_dags\n\nload_yaml_dags(globals_dict=globals(), config_filepath="/opt/airflow/dags/teams.yml")\n');
    fs.writeFileSync(path.join(root, 'dags', 'asset_orders.py'), 'from airflow.sdk import asset\n\n\n@asset\ndef orders():\n    pass\n');
    const r = await runCli(['check', '--root', root, '--json']);
    assert.equal(r.code, 1, 'the import error fails the job (--fail-on error is the default)');
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    const dyn = findings.filter((f) => f.file === 'dags/yaml_teams.py');
    assert.deepEqual(dyn.map((f) => [f.code, f.startLine, f.startColumn]), [['ADA013', 4, 1]]);
    assert.match(dyn[0]!.message, /load_yaml_dags\(\.\.\.\) builds DAGs from the YAML file '\/opt\/airflow\/dags\/teams\.yml'/);
    const asset = findings.filter((f) => f.file === 'dags/asset_orders.py');
    assert.deepEqual(asset.map((f) => [f.code, f.severity, f.startLine]), [['ADA027', 'error', 4]]);
    assert.match(asset[0]!.message, /^TypeError: a bare @asset /);
  });

  test('an .airflowignore line that does not compile is ADA092 at its line; the files it meant to hide are checked', async () => {
    const root = copyExamples();
    const ignore = path.join(root, 'dags', '.airflowignore');
    fs.writeFileSync(ignore, '# Files Airflow never loads.\nscratch/(unclosed  # a typo\n');
    const r = await runCli(['check', '--root', root]);
    assert.equal(r.code, 0, r.stderr);
    const line = r.stdout.split('\n').find((l) => l.includes('ADA092'));
    assert.ok(line, r.stdout);
    assert.match(line, /^dags\/\.airflowignore:2:1: warning ADA092 invalid regexp pattern "scratch\/\(unclosed": .*This line ignores nothing/);
    const json = JSON.parse((await runCli(['check', '--root', root, '--json'])).stdout) as { findings: JsonFinding[] };
    const f = json.findings.find((x) => x.code === 'ADA092')!;
    assert.deepEqual([f.file, f.startLine, f.startColumn, f.endLine, f.endColumn], ['dags/.airflowignore', 2, 1, 2, 18]);
    // With the line skipped, the scratch folder's DAG files are checked like any other.
    const dagCount = (out: string) => Number(/\((\d+) DAGs\)\./.exec(out)?.[1]);
    fs.writeFileSync(ignore, 'scratch/.*\n');
    const fixed = await runCli(['check', '--root', root]);
    assert.doesNotMatch(fixed.stdout, /ADA092/);
    assert.ok(dagCount(r.stdout) > dagCount(fixed.stdout), `${dagCount(r.stdout)} DAGs with the broken line, ${dagCount(fixed.stdout)} without`);
  });

  test('.airflowignore lines as Airflow splits them: CRLF works like LF; a regexp keeping trailing whitespace is ADA092 and hides nothing', async () => {
    const root = copyExamples();
    const ignore = path.join(root, 'dags', '.airflowignore');
    const dagCount = (out: string) => Number(/\((\d+) DAGs\)\./.exec(out)?.[1]);
    fs.writeFileSync(ignore, 'scratch/.*\n');
    const lf = await runCli(['check', '--root', root]);
    fs.writeFileSync(ignore, '# Files Airflow never loads.\r\nscratch/.*\r\n');
    const crlf = await runCli(['check', '--root', root]);
    assert.doesNotMatch(crlf.stdout, /ADA092/);
    assert.equal(dagCount(crlf.stdout), dagCount(lf.stdout), 'Python reads the file with universal newlines: no \\r in the pattern');
    fs.writeFileSync(ignore, 'scratch/.*  \n');
    const spaced = await runCli(['check', '--root', root, '--json']);
    const f = (JSON.parse(spaced.stdout) as { findings: JsonFinding[] }).findings.find((x) => x.code === 'ADA092')!;
    assert.deepEqual([f.file, f.startLine, f.startColumn, f.endColumn], ['dags/.airflowignore', 1, 1, 13]);
    assert.match(f.message, /^the regexp "scratch\/\.\*  " ends with whitespace: Airflow removes whitespace only before a "#" comment/);
    assert.ok(dagCount((await runCli(['check', '--root', root])).stdout) > dagCount(lf.stdout), 'the scratch DAGs are loaded, as by Airflow');
  });

  test('.airflowignore is read as Airflow in effect reads it: regexp under 2.10, glob under 3.0, or airflow.dag_ignore_file_syntax', async () => {
    const root = copyExamples();
    const cfgFile = path.join(root, 'airflow-access.yaml');
    const cfg = fs.readFileSync(cfgFile, 'utf8');
    const dagCount = (out: string) => Number(/\((\d+) DAGs\)\./.exec(out)?.[1]);
    const run = async (config: string) => {
      fs.writeFileSync(cfgFile, config);
      const r = await runCli(['check', '--root', root]);
      assert.equal(r.code, 0, r.stderr);
      return dagCount(r.stdout);
    };
    // dags/.airflowignore holds the regexp `scratch/.*`: under Airflow 2.10 it hides dags/scratch/experiment.py.
    const v2 = await run(cfg);
    // Airflow 3 reads it as a glob: `scratch/.*` names only dot files in scratch/, so the scratch DAG is loaded.
    const v3 = await run(cfg.replace('version: "2.10"', 'version: "3.0"'));
    assert.equal(v3, v2 + 1);
    assert.equal(await run(cfg.replace('version: "2.10"', 'version: "3.0"\n  dag_ignore_file_syntax: regexp')), v2);
    // The glob way to say it, under 3.0.
    fs.writeFileSync(path.join(root, 'dags', '.airflowignore'), 'scratch/\n');
    assert.equal(await run(cfg.replace('version: "2.10"', 'version: "3.0"')), v2);
  });
});
