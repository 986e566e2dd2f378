/** Every code of the catalogue is documented in docs/diagnostics.md with its anchor, name and default severity. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CODES, RULES } from '../../../server/src/rules';
import { repoRoot } from '../../helpers/paths';

const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');
const SEVERITY_WORD: Record<string, string> = { error: 'error', warning: 'warning', info: 'information', hint: 'hint' };

test('each code has a section with its anchor and a table row with its default severity', () => {
  for (const c of CODES) {
    assert.ok(docs.includes(`<a id="${c.code.toLowerCase()}"></a>\n### ${c.code} ${c.name}`), `section for ${c.code}`);
    assert.ok(docs.includes(`| [${c.code}](#${c.code.toLowerCase()}) | ${SEVERITY_WORD[c.defaultSeverity]} | ${c.name} |`), `table row for ${c.code}`);
    assert.ok(c.helpUri.endsWith(`#${c.code.toLowerCase()}`));
  }
});

test('every registered rule has a catalogue entry', () => {
  const known = new Set(CODES.map((c) => c.code));
  for (const r of RULES) assert.ok(known.has(r.code), r.code);
});
