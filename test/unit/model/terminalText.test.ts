/** The one escaping helper of the text formatters: control, bidi and zero-width characters become visible escapes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { shown, shownOutput } from '../../../server/src/model/terminalText';

test('shown: ESC, CR, LF, TAB, NUL, DEL, C1, bidi and zero-width characters are escaped; other text is unchanged', () => {
  assert.equal(shown('a\x1b[2Kb\rc\nd\te\u0000f\u007fg\u0085h\u202ei\u200bj\u2066k'), 'a\\x1b[2Kb\\rc\\nd\\te\\x00f\\x7fg\\x85h\\u202ei\\u200bj\\u2066k');
  assert.equal(shown('données_été Ｖiewer 🚀 back\\slash'), 'données_été Ｖiewer 🚀 back\\slash');
});

test('shownOutput: keeps line breaks and tabs; keeps SGR colour only when colour is on', () => {
  assert.equal(shownOutput('\x1b[31mred\x1b[39m\n\tx\ry\u202e', true), '\x1b[31mred\x1b[39m\n\tx\\ry\\u202e');
  assert.equal(shownOutput('\x1b[31mred\x1b[39m\n', false), '\\x1b[31mred\\x1b[39m\n');
  assert.equal(shownOutput('\x1b[2K\x1b]0;title\x07', true), '\\x1b[2K\\x1b]0;title\\x07');
});
