// Runs the compiled test suites (out/test/<layer>) with node's built-in test runner.
// Usage: node test/run.mjs [layer ...]   layers: unit protocol db cli e2e (default: all)
// Prints node's spec output, then one plain summary line CI can read:
//   "<N> passed, <N> failed, <N> skipped (<N> of them whole suites)"
// followed by every skipped test or suite with its reason. A describe() skipped as a whole counts as
// skipped (node's own summary counts it nowhere); a requested layer with no compiled folder is said so.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const all = ['unit', 'protocol', 'db', 'cli', 'e2e'];
const layers = process.argv.slice(2).length ? process.argv.slice(2) : all;
const unknown = layers.filter((l) => !all.includes(l));
if (unknown.length) {
  console.error(`unknown test layer(s): ${unknown.join(', ')} (known: ${all.join(', ')})`);
  process.exit(2);
}
const missing = [];
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.js')) files.push(p);
  }
};
for (const layer of layers) {
  const dir = path.join('out', 'test', layer);
  if (fs.existsSync(dir)) walk(dir);
  else {
    const why = fs.existsSync(path.join('test', layer)) ? `not compiled (run "npm run compile-tests")` : `no folder test/${layer}`;
    missing.push(`layer "${layer}": ${dir} is missing (${why}); its tests did not run`);
  }
}
for (const m of missing) console.error(m);
if (files.length === 0) {
  console.error(`no compiled tests found for: ${layers.join(', ')} (run "npm run compile-tests" first)`);
  process.exit(1);
}
const events = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ada-run-')), 'events.jsonl');
const reporter = new URL('./countReporter.mjs', import.meta.url).href;
const r = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${reporter}`, `--test-reporter-destination=${events}`, ...files],
  { stdio: 'inherit' },
);
const results = fs.existsSync(events)
  ? fs.readFileSync(events, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
fs.rmSync(path.dirname(events), { recursive: true, force: true });

// Tests count once each (one cancelled by a failing hook counts as failed); a suite counts only when
// it was skipped whole, since then none of its tests ran or were counted.
const counted = results.filter((e) => !e.suite || e.skip !== null);
const skipped = counted.filter((e) => e.skip !== null);
const failed = counted.filter((e) => e.failed && e.skip === null);
const passed = counted.length - skipped.length - failed.length;
const suites = skipped.filter((e) => e.suite).length;
console.log('');
console.log(`${passed} passed, ${failed.length} failed, ${skipped.length} skipped (${suites} of them whole suites)${missing.length ? `, ${missing.length} layer(s) missing` : ''}`);
const rel = (f) => (f ? path.relative(process.cwd(), f) : '?');
for (const e of skipped) console.log(`  skipped ${e.suite ? 'suite' : 'test'} "${e.name}" (${rel(e.file)}): ${e.skip || 'no reason given'}`);
for (const m of missing) console.log(`  ${m}`);
const code = r.status ?? 1;
process.exit(code === 0 && failed.length > 0 ? 1 : code);
