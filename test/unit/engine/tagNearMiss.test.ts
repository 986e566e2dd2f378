/** Near misses of permission_tag_pattern: likely typos of access tags (issue: `finance_edti` got no warning). */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { damerau, nearPatternMatch } from '../../../server/src/engine/tagNearMiss';

const pat = (source: string) => ({ source, regex: new RegExp(source) });

test('a swapped, missing or wrong letter in the suffix, or a wrong separator, is a near miss of _(read|edit)$', () => {
  const p = pat('_(read|edit)$');
  assert.equal(nearPatternMatch(p, 'finance_edti'), 'finance_edit');
  assert.equal(nearPatternMatch(p, 'finance_raed'), 'finance_read');
  assert.equal(nearPatternMatch(p, 'finance_eidt'), 'finance_edit');
  assert.equal(nearPatternMatch(p, 'finance_rad'), 'finance_read');
  assert.equal(nearPatternMatch(p, 'finance_editt'), 'finance_edit');
  assert.equal(nearPatternMatch(p, 'finance-edit'), 'finance_edit');
  assert.equal(nearPatternMatch(p, 'team.a.read'), 'team.a_read');
});

test('words that are not near misses stay quiet: no separator, far from every literal, or already matching', () => {
  const p = pat('_(read|edit)$');
  for (const tag of ['credit', 'audit', 'reporting', 'finance', 'data_quality', 'etl_daily', 'finance_edit', 'finance_read', '_edit', 'x_ready_now', 'team_editorial']) {
    assert.equal(nearPatternMatch(p, tag), null, tag);
  }
});

test('longer literals allow two edits; prefix patterns work the same way', () => {
  const p = pat('_(viewer|editor)$');
  assert.equal(nearPatternMatch(p, 'sales_veiwre'), 'sales_viewer');
  assert.equal(nearPatternMatch(p, 'sales_vwr'), null, 'three edits is too far');
  const pre = pat('^(read|edit)_');
  assert.equal(nearPatternMatch(pre, 'raed_sales'), 'read_sales');
  assert.equal(nearPatternMatch(pre, 'edit-sales'), 'edit_sales');
  assert.equal(nearPatternMatch(pre, 'sales_read'), null);
});

test('any other pattern: the single edits that make the tag match', () => {
  const p = pat('^team_[a-z]+_rw$');
  assert.equal(nearPatternMatch(p, 'team_sales_wr'), 'team_sales_rw');
  assert.equal(nearPatternMatch(p, 'team_sales_r'), 'team_sales_rw');
  assert.equal(nearPatternMatch(p, 'sales'), null);
});

test('damerau counts a swap of neighbours as one edit', () => {
  assert.equal(damerau('edti', 'edit'), 1);
  assert.equal(damerau('raed', 'read'), 1);
  assert.equal(damerau('abc', 'abc'), 0);
  assert.equal(damerau('', 'ab'), 2);
  assert.equal(damerau('kitten', 'sitting'), 3);
});
