// Runs the compiled test suites (out/test/<layer>) with node's built-in test runner.
// Usage: node test/run.mjs [layer ...]   layers: unit protocol db cli e2e (default: all)
// Suites that need ../shared or a real editor print why they skip; node --test prints the summary CI reads.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const all = ['unit', 'protocol', 'db', 'cli', 'e2e'];
const layers = process.argv.slice(2).length ? process.argv.slice(2) : all;
const dirs = layers.map((l) => path.join('out', 'test', l)).filter((d) => fs.existsSync(d));
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.js')) files.push(p);
  }
};
dirs.forEach(walk);
if (files.length === 0) {
  console.error(`no compiled tests found for: ${layers.join(', ')} (run "npm run compile-tests" first)`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
