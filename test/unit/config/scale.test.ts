/**
 * Large configs: the alias-bomb guard counts values reached through aliases only, and looking up
 * every entry of a large mapping (every role of `roles:`) reads each entry a bounded number of times.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../server/src/config/load';
import { entryOf, type LocatedEntry, type LocatedValue } from '../../../server/src/config/locatedValue';

const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

test('a config of 224,000 values and no alias is read (the guard used to refuse anything above 200,000 values)', () => {
  const n = 2000;
  const tags = (i: number) => Array.from({ length: 110 }, (_, j) => `t${i}_${j}`).join(', ');
  const roles = Array.from({ length: n }, (_, i) => `  team_${i}:\n    tags: [${tags(i)}]\n`);
  const r = loadConfigText('/w/airflow-access.yaml', `version: 1\nroles:\n${roles.join('')}`);
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error').map((p) => p.message), []);
  assert.equal(r.config?.roles.length, n);
  assert.equal(r.config?.roles[n - 1].tags.length, 110);
});

test('a "billion laughs" of a few lines is still refused, located on the first line', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${new Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const r = loadConfigText('/w/airflow-access.yaml', `version: 1\n${levels.join('\n')}\nroles: {}\n`);
  const p = r.problems.find((x) => x.code === 'yaml-aliases');
  assert.equal(p?.message, "The config's YAML aliases expand to more than 200000 values; it is not read.");
  assert.equal(p?.range.start.line, 0);
});

test('entryOf over every key of a 20,000-entry mapping reads the entries a linear number of times', () => {
  const n = 20_000;
  const plain: LocatedEntry[] = Array.from({ length: n }, (_, i) => ({ key: `role_${i}`, keyRange: R, range: R, value: { kind: 'scalar', value: i, range: R } }));
  let reads = 0;
  const entries = new Proxy(plain, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++;
      return Reflect.get(target, prop, receiver);
    },
  });
  const map: LocatedValue = { kind: 'map', range: R, entries };
  for (let i = 0; i < n; i++) assert.equal(entryOf(map, `role_${i}`)?.value, plain[i].value);
  assert.ok(reads <= 3 * n, `${reads} entry reads for ${n} lookups (quadratic: about ${(n * n) / 2})`);
  // The last entry of a repeated key wins, as before.
  const dup: LocatedValue = { kind: 'map', range: R, entries: [...plain, { ...plain[0], value: { kind: 'scalar', value: 'last', range: R } }] };
  assert.equal((entryOf(dup, 'role_0')?.value as { value: unknown }).value, 'last');
});
