/**
 * Fuzz inputs: the repository's own DAG and config files as a corpus, byte- and token-level
 * mutations of them, and a few hand-made hostile shapes. Everything is driven by a seeded Prng.
 */
import * as fs from 'fs';
import * as path from 'path';
import { examplesDir, fixturesDir } from '../../helpers/paths';
import type { Prng } from './prng';

function walk(dir: string, exts: string[], out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, exts, out);
    else if (exts.some((x) => e.name.endsWith(x))) out.push(p);
  }
  return out.sort();
}

export function pythonCorpus(): string[] {
  return [...walk(path.join(fixturesDir, 'dags'), ['.py']), ...walk(examplesDir, ['.py'])].map((f) => fs.readFileSync(f, 'utf8'));
}

export function yamlCorpus(): string[] {
  return [...walk(examplesDir, ['.yaml', '.yml']), ...walk(path.join(fixturesDir, 'config'), ['.yaml', '.yml'])].map((f) => fs.readFileSync(f, 'utf8'));
}

const PY_TOKENS = ['(', ')', '[', ']', '{', '}', ',', ':', '=', '"', "'", '"""', '\n', '\t', '    ', 'DAG(', '@dag', 'with ', ' as dag:', 'tags=', 'access_control=', 'dag_id=', 'Asset(', 'outlets=[', 'schedule=', 'import ', 'from airflow import DAG\n', 'f"{', '}', '\\', '#', 'lambda: ', '*', '**', '\u0000', '\ufeff', '\u200b', 'а', '\ud800'];
const YAML_TOKENS = [':', '- ', '[', ']', '{', '}', ',', '"', "'", '\n', '  ', '&a', '*a', '<<: *a', '!!python/object', '---\n', '...\n', '? ', '|', '>', '#', 'roles:', 'tags:', 'dag_permissions:', 'cleanup:', 'manage_builtin: true', 'version: 1', '\t', '\u0000', '%TAG ! x\n', 'Viewer', "x'); DROP TABLE ab_role;--"];

/** Text decoded from random bytes (so invalid UTF-8 becomes U+FFFD, as fs.readFileSync(…, 'utf8') does). */
export function randomText(r: Prng, max = 2048): string {
  const bytes = r.bytes(r.int(max));
  return r.chance(0.5) ? bytes.toString('utf8') : bytes.toString('latin1');
}

/** One random mutation of `text`, sometimes stacked. */
export function mutate(r: Prng, text: string, corpus: string[], kind: 'py' | 'yaml'): string {
  const tokens = kind === 'py' ? PY_TOKENS : YAML_TOKENS;
  let out = text;
  const rounds = 1 + r.int(4);
  for (let k = 0; k < rounds; k++) {
    const at = r.int(out.length + 1);
    switch (r.int(9)) {
      case 0: // delete a span
        out = out.slice(0, at) + out.slice(Math.min(out.length, at + 1 + r.int(40)));
        break;
      case 1: // insert a token
        out = out.slice(0, at) + r.pick(tokens) + out.slice(at);
        break;
      case 2: // duplicate a span
        out = out.slice(0, at) + out.slice(at, at + r.int(200)) + out.slice(at);
        break;
      case 3: // random bytes
        out = out.slice(0, at) + randomText(r, 16) + out.slice(at);
        break;
      case 4: // splice with another corpus file
        out = out.slice(0, at) + r.pick(corpus).slice(r.int(200)) ;
        break;
      case 5: // truncate
        out = out.slice(0, at);
        break;
      case 6: // flip one UTF-16 unit
        if (out.length) out = out.slice(0, at) + String.fromCharCode(r.int(0x10000)) + out.slice(at + 1);
        break;
      case 7: // nesting burst
        out = out.slice(0, at) + r.pick(['(', '[', '{', kind === 'py' ? 'DAG(' : '- ']).repeat(1 + r.int(300)) + out.slice(at);
        break;
      default: // swap lines
        {
          const lines = out.split('\n');
          const a = r.int(lines.length);
          const b = r.int(lines.length);
          [lines[a], lines[b]] = [lines[b]!, lines[a]!];
          out = lines.join('\n');
        }
    }
  }
  return out;
}

/** Hand-made hostile inputs (name → text), for both Python and YAML. */
export function hostileTexts(kind: 'py' | 'yaml'): [string, string][] {
  const deep = 5000;
  const common: [string, string][] = [
    ['NUL bytes', kind === 'py' ? 'from airflow import DAG\nwith DAG("a\u0000b", tags=["x\u0000"]) as dag:\n    pass\n\u0000\u0000' : 'version: 1\nroles:\n  r\u0000:\n    tags: [a\u0000]\n'],
    ['invalid UTF-8 decoded', Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x28, 0x8c, 0xbc, 0x0a, 0x64, 0x61, 0x67]).toString('utf8').repeat(100)],
    ['lone surrogates', 'tags = ["\ud800", "\udfff"]\n'.repeat(50)],
    ['BOM and CRLF', `\ufeff${(kind === 'py' ? 'from airflow import DAG\r\nwith DAG("bom", tags=["a"]) as d:\r\n    pass\r\n' : 'version: 1\r\nroles:\r\n  a:\r\n    tags: [x]\r\n')}`],
    ['only whitespace', ' \t\n'.repeat(1000)],
    ['empty', ''],
  ];
  if (kind === 'py') {
    return [
      ...common,
      [`${deep} nested brackets in tags`, `from airflow import DAG\nwith DAG("deep", tags=${'['.repeat(deep)}"x"${']'.repeat(deep)}) as dag:\n    pass\n`],
      [`${deep} nested parentheses`, `from airflow import DAG\nx = ${'('.repeat(deep)}1${')'.repeat(deep)}\nDAG("p", tags=[x])\n`],
      [`${deep} unclosed brackets`, `from airflow import DAG\nDAG("u", tags=${'[{('.repeat(deep)}\n`],
      [`${deep}-deep attribute chain`, `from airflow import DAG\nDAG(dag_id=a${'.b'.repeat(deep)}, tags=[c${'.d'.repeat(deep)}])\n`],
      [`${deep}-term string concatenation`, `from airflow import DAG\nDAG(dag_id=${Array.from({ length: deep }, () => '"a"').join(' + ')}, tags=["t"])\n`],
      [`${deep} nested DAG calls`, `from airflow import DAG\n${'DAG('.repeat(deep)}${')'.repeat(deep)}\n`],
      ['10,000 DAGs in one file', `from airflow import DAG\n${Array.from({ length: 10_000 }, (_, i) => `d${i} = DAG("d${i}", tags=["t${i % 7}"], access_control={"r": {"can_read"}})`).join('\n')}\n`],
    ];
  }
  return [
    ...common,
    [`${deep} nested flow sequences`, `version: 1\nroles:\n  a:\n    tags: ${'['.repeat(deep)}x${']'.repeat(deep)}\n`],
    [`${deep} nested flow maps`, `version: 1\nroles: ${'{a: '.repeat(deep)}1${'}'.repeat(deep)}\n`],
    [`${deep} nested block sequences`, `version: 1\nroles:\n${Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i + 1)}- `).join('\n')}x\n`],
    ['2,000 roles', `version: 1\nroles:\n${Array.from({ length: 2000 }, (_, i) => `  role_${i}:\n    tags: [t${i}]\n    dag_permissions: [can_read]`).join('\n')}\n`],
    ['python tags in yaml', '!!python/object/apply:os.system ["echo pwned"]\n'],
  ];
}

/** A ~`bytes`-sized, valid-looking DAG file (many DAGs), for the size cap. */
export function bigPython(bytes: number): string {
  const unit = 'with DAG("big_%", tags=["a", "b"], access_control={"r": {"can_read"}}) as d:\n    EmptyOperator(task_id="t")\n';
  const parts = ['from airflow import DAG\nfrom airflow.operators.empty import EmptyOperator\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const s = unit.replace('%', String(i));
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** A "billion laughs" YAML: `levels` anchors, each a list of nine aliases of the previous one (9^levels scalars). */
export function aliasBomb(levels: number): string {
  let t = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < levels; i++) t += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return `${t}version: 1\nroles:\n  r:\n    tags: *a${levels - 1}\n`;
}
