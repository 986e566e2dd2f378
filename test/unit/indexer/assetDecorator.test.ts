/** `@asset` forms that raise TypeError when the module runs (so Airflow cannot import the file), and forms that do not. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { factsOf, slice } from './helpers';

test('bare @asset / @asset.multi, a positional argument, no schedule=: one import error each, at the decorator', async () => {
  const src = [
    'from airflow.sdk import asset, Asset',
    '@asset',
    'def a(): pass',
    '@asset.multi',
    'def b(): pass',
    '@asset("c", schedule=None)',
    'def c(): pass',
    '@asset(tags=["x"])',
    'def d(): pass',
    '@asset.multi(outlets=[Asset("e")])',
    'def e(): pass',
  ].join('\n');
  const facts = await factsOf(src);
  const errors = facts.importErrors ?? [];
  assert.deepEqual(errors.map((e) => slice(src, e.range)), ['@asset', '@asset.multi', '@asset("c", schedule=None)', '@asset(tags=["x"])', '@asset.multi(outlets=[Asset("e")])']);
  assert.match(errors[0]!.message, /^TypeError: a bare @asset calls asset\(<function>\)/);
  assert.match(errors[1]!.message, /^TypeError: a bare @asset\.multi /);
  assert.match(errors[2]!.message, /keyword arguments only/);
  assert.match(errors[3]!.message, /has no schedule=/);
  assert.deepEqual(facts.syntaxErrors, []);
});

test('no import error: schedule given, **kwargs that may hold it, an asset that is not Airflow\'s, a nested function', async () => {
  const src = [
    'from airflow.sdk import asset as af_asset',
    'from mylib import asset',
    'KW = {}',
    '@af_asset(schedule="@daily")',
    'def a(): pass',
    '@af_asset(**KW)',
    'def b(): pass',
    '@asset',
    'def c(): pass',
    'def outer():',
    '    @af_asset',
    '    def inner(): pass',
  ].join('\n');
  assert.equal((await factsOf(src)).importErrors, undefined);
});
