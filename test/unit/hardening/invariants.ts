/** Checks shared by the fuzz suites: well-formed ranges inside the text, serialisable results, replay info. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Pos { line: number; character: number }

function isPos(v: unknown): v is Pos {
  return !!v && typeof v === 'object' && 'line' in v && 'character' in v;
}

/** Every `{start, end}` range anywhere in `value`: integer, non-negative, ordered, inside the text's lines. */
export function rangeProblems(value: unknown, lineCount: number): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, at: string): void => {
    if (!v || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    const o = v as Record<string, unknown>;
    if (isPos(o.start) && isPos(o.end)) {
      const { start, end } = o as unknown as { start: Pos; end: Pos };
      const ok = (p: Pos) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0 && p.line <= lineCount;
      if (!ok(start) || !ok(end)) out.push(`${at}: position out of the text (${JSON.stringify(o)}; ${lineCount} lines)`);
      else if (start.line > end.line || (start.line === end.line && start.character > end.character)) out.push(`${at}: start after end (${JSON.stringify(o)})`);
    }
    for (const [k, child] of Object.entries(o)) visit(child, `${at}.${k}`);
  };
  visit(value, '$');
  return out.slice(0, 3);
}

export function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** Write a failing input where a person can pick it up, and say how to replay it. */
export function saveFailure(suite: string, seed: number, index: number, text: string, why: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ada-fuzz-${suite}-`));
  const file = path.join(dir, `case-${index}.txt`);
  fs.writeFileSync(file, text);
  return `${suite} case ${index} (seed ${seed}): ${why}\n  input saved to ${file}\n  replay: ADA_FUZZ_SEED=${seed} ADA_FUZZ_CASE=${index} node --test out/test/unit/hardening/`;
}

/** The per-case Prng seed: replaying one case needs only (seed, index). */
export function caseSeed(seed: number, index: number): number {
  return (seed + Math.imul(index + 1, 0x9e3779b1)) >>> 0;
}

/** ADA_FUZZ_CASE=<n> runs one case only. */
export function onlyCase(): number | null {
  const raw = process.env.ADA_FUZZ_CASE;
  return raw ? Number(raw) : null;
}
