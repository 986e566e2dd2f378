// Prints the last mutation run (reports/mutation/mutation.json) as markdown: the score per file and
// each surviving or uncovered mutant with its line, for docs/testing.md. Usage: node test/mutationSummary.mjs
import * as fs from 'node:fs';

const file = 'reports/mutation/mutation.json';
if (!fs.existsSync(file)) {
  console.error(`${file} not found: run "npm run mutation" first`);
  process.exit(1);
}
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const rows = [];
const left = [];
for (const [name, f] of Object.entries(report.files).sort()) {
  const n = (s) => f.mutants.filter((m) => m.status === s).length;
  const killed = n('Killed') + n('Timeout');
  const detectable = killed + n('Survived') + n('NoCoverage');
  rows.push(`| ${name} | ${killed} | ${n('Survived')} | ${n('NoCoverage')} | ${n('CompileError')} | ${detectable ? ((100 * killed) / detectable).toFixed(1) : '-'} % |`);
  const lines = f.source.split('\n');
  for (const m of f.mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    left.push(`- ${name}:${m.location.start.line} ${m.status} ${m.mutatorName} → \`${String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60)}\` in \`${lines[m.location.start.line - 1].trim().slice(0, 70)}\``);
  }
}
console.log('| file | killed | survived | no coverage | compile error | score |\n| --- | --- | --- | --- | --- | --- |');
console.log(rows.join('\n'));
console.log('');
console.log(left.join('\n'));
