/**
 * The README's command blocks, run as written: the demo steps from a clone and the tarball install.
 * Each runs in a throw-away copy of the files it needs (never in the checkout), with the CLI the test
 * run has already built: `npm run build` is not run again, and `npm pack` does not rebuild
 * (npm_config_ignore_scripts), so no other suite sees dist/ change under it. The hints the commands
 * print ("Try: ...", "Undo with: ...") are run too, as printed.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { distDir, repoRoot } from '../helpers/paths';
import { cleanEnv, cliPath, tempDir } from './cliRunner';

const built = fs.existsSync(cliPath) ? false : `built CLI not found at ${cliPath} (run npm run build)`;
const hasNpm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0 ? false : 'npm is not on PATH';

/** The shell lines of the README block marked `<!-- readme-test: NAME -->`, comments removed. */
export function readmeBlock(name: string): string[] {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- readme-test: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(m, `README.md has no block marked readme-test: ${name}`);
  return m[1]
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trimEnd())
    .filter((l) => l.trim() !== '');
}

interface Ran {
  line: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run each line with bash in `cwd`; stops at the first failure. */
function runLines(lines: string[], cwd: string, env: NodeJS.ProcessEnv): Ran[] {
  const out: Ran[] = [];
  for (const line of lines) {
    const r = spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 120_000 });
    out.push({ line, code: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  return out;
}

/** A clone-shaped folder: the files the package ships, examples/ and the built dist/ (copied, not linked). */
function fakeClone(): string {
  const dir = path.join(tempDir('ada-readme-'), 'clone');
  fs.mkdirSync(dir);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) fs.copyFileSync(path.join(repoRoot, f), path.join(dir, f));
  for (const d of ['schemas', 'syntaxes', 'media', 'examples']) fs.cpSync(path.join(repoRoot, d), path.join(dir, d), { recursive: true });
  fs.mkdirSync(path.join(dir, 'dist'));
  for (const f of fs.readdirSync(distDir)) if (/\.(js|mjs|wasm)$/.test(f)) fs.copyFileSync(path.join(distDir, f), path.join(dir, 'dist', f));
  return dir;
}

describe('README commands, as written', { skip: built }, () => {
  test('from a clone: demo-db, plan, sync, explain, check; the printed Try and Undo commands run as printed', () => {
    const lines = readmeBlock('clone');
    assert.equal(lines[0], 'npm run build');
    const clone = fakeClone();
    const ran = runLines(lines.slice(1), clone, cleanEnv());
    for (const r of ran) assert.equal(r.code, 0, `${r.line}\n${r.stderr}`);
    assert.equal(ran.length, lines.length - 1);

    const created = ran[0].stdout.split('\n');
    const db = path.join(clone, '.demo', 'airflow.db');
    assert.equal(created[1], `Try: node dist/cli.js plan --db sqlite:///${db} --root ${path.join(clone, 'examples')}`);
    const sync = ran[2].stdout;
    const undo = /^Undo with: (.+)$/m.exec(sync)?.[1];
    assert.match(undo ?? '', new RegExp(`^node dist/cli\\.js rollback \\S+\\.json --db sqlite:///${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} --yes$`));
    // The plan is printed once: sync prints what it applied, a plain plan before it is not repeated in the demo.
    assert.equal(sync.match(/^Plan: /gm)?.length, 1, sync);

    const hints = runLines([created[1].slice('Try: '.length), undo!], clone, cleanEnv());
    for (const r of hints) assert.equal(r.code, 0, `${r.line}\n${r.stderr}`);
    assert.match(hints[1].stdout, /^Rolled back plan [0-9a-f]+: removed \d+ row\(s\), restored \d+ grant\(s\)\.$/m);
  });

  test('npm run demo prints the plan once (sync applies and prints it; no plan before it)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { demo: string } };
    const steps = pkg.scripts.demo.split('&&').map((s) => s.trim());
    const cli = steps.filter((s) => s.startsWith('node dist/cli.js')).map((s) => s.split(' ')[2]);
    assert.deepEqual(cli, ['demo-db', 'sync', 'plan']);
  });

  test('from the tarball: npm pack, npm install -g, airflow-access --version and check', { skip: hasNpm }, () => {
    const lines = readmeBlock('tarball');
    const clone = fakeClone();
    const prefix = path.join(tempDir('ada-prefix-'), 'global');
    const env = cleanEnv({
      // Where `npm install -g` puts the package and its bin (never the machine's own global folder).
      npm_config_prefix: prefix,
      PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      // dist/ is already built for this test run; prepack would rebuild it.
      npm_config_ignore_scripts: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    });
    const ran = runLines(lines, clone, env);
    for (const r of ran) assert.equal(r.code, 0, `${r.line}\n${r.stdout}\n${r.stderr}`);
    assert.equal(ran.length, lines.length);
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(ran[2].stdout, `${version}\n`);
    assert.match(ran[3].stdout, /^\d+ problems? \(.*\) in \d+ files \(\d+ DAGs\)\.$/m);
    const bin = fs.realpathSync(path.join(prefix, 'bin', 'airflow-access'));
    assert.equal(bin, path.join(prefix, 'lib', 'node_modules', 'airflow-dag-access', 'dist', 'cli.js'));
    // Installed with nothing beside it: the bundle carries every library.
    assert.deepEqual(fs.existsSync(path.join(prefix, 'lib', 'node_modules', 'airflow-dag-access', 'node_modules')) ? fs.readdirSync(path.join(prefix, 'lib', 'node_modules', 'airflow-dag-access', 'node_modules')) : [], []);

    // The installed command, away from the clone: a demo database, and the Try hint names airflow-access itself.
    const work = tempDir('ada-installed-');
    fs.cpSync(path.join(clone, 'examples'), path.join(work, 'examples'), { recursive: true });
    const demo = runLines(['airflow-access demo-db demo.db --root examples'], work, env);
    assert.equal(demo[0].code, 0, demo[0].stderr);
    const tryLine = demo[0].stdout.split('\n')[1];
    assert.equal(tryLine, `Try: airflow-access plan --db sqlite:///${path.join(work, 'demo.db')} --root ${path.join(work, 'examples')}`);
    const planned = runLines([tryLine.slice('Try: '.length) + ' -q'], work, env);
    assert.equal(planned[0].code, 0, planned[0].stderr);
    assert.match(planned[0].stdout, /^Plan: \d+ to add/m);
  });
});
