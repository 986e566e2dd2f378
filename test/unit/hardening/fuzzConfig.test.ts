/**
 * Fuzz the role-mapping config loader: random bytes and mutations of the example configs go through
 * loadConfigText. A case passes when it does not throw, returns either a config or at least one
 * problem, every problem range lies in the text, and the loader's catch-all (`internal-error`) did not fire.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText } from '../../../server/src/config';
import { caseSeed, lineCount, onlyCase, rangeProblems, saveFailure } from './invariants';
import { mutate, randomText, yamlCorpus } from './mutate';
import { Prng, seedFromEnv } from './prng';

const SEED = seedFromEnv(0x5eed2026);
const CASES = Number(process.env.ADA_FUZZ_CASES ?? 10_000);
const FILE = '/fuzz/airflow-access.yaml';

function check(text: string): string | null {
  const res = loadConfigText(FILE, text);
  if (!res || !Array.isArray(res.problems)) return 'malformed result';
  const internal = res.problems.find((p) => p.code === 'internal-error');
  if (internal) return `the loader threw: ${internal.message}`;
  if (!res.config && res.problems.length === 0) return 'no config and no problem';
  for (const p of res.problems) if (typeof p.message !== 'string' || !p.message.trim()) return `problem without a message: ${JSON.stringify(p)}`;
  const bad = rangeProblems(res.problems, lineCount(text));
  return bad.length ? bad.join('; ') : null;
}

test(`config fuzz: ${CASES} cases (seed ${SEED})`, { timeout: 240_000 }, () => {
  const corpus = yamlCorpus();
  assert.ok(corpus.length >= 2, 'the config corpus was not found');
  console.log(`config fuzz seed: ${SEED} (replay with ADA_FUZZ_SEED=${SEED}; one case with ADA_FUZZ_CASE=<n>)`);
  const only = onlyCase();
  const failures: string[] = [];
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  let ran = 0;
  for (let i = 0; i < CASES; i++) {
    if (only !== null && i !== only) continue;
    const r = new Prng(caseSeed(SEED, i));
    const text = r.chance(0.1) ? randomText(r, 2048) : mutate(r, r.pick(corpus), corpus, 'yaml');
    let problem: string | null;
    try {
      problem = check(text);
    } catch (e) {
      problem = `threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    }
    ran++;
    if (problem && failures.length < 5) failures.push(saveFailure('config', SEED, i, text, problem));
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`config fuzz: ${ran} cases in ${((Date.now() - started) / 1000).toFixed(1)} s (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU), ${failures.length} failure(s)`);
  assert.deepEqual(failures, []);
});
