/**
 * What a drop-in replacement must keep from the sync DAG it replaces: its dag_id, schedule and
 * start_date, read with tree-sitter from the `DAG(...)` call (or `with DAG(...)`, `@dag(...)`).
 * Only literals are taken over; anything else is a located problem, never a guess.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { parseWithDeadline } from '../parsing/treeSitter';

export interface ReplacedDag {
  dagId: string;
  /** Python source of the schedule value (a string literal or None), or null when it is not a literal. */
  schedule: string | null;
  /** Why the schedule could not be taken over (when `schedule` is null). */
  scheduleProblem: string | null;
  /** Python source of start_date when it is a `pendulum.datetime(...)` call with literal arguments, else null. */
  startDate: string | null;
  /** 1-based line of the DAG call. */
  line: number;
}

export type ReplacedDagResult = { dag: ReplacedDag } | { error: string };

const isDagCall = (n: Node) => {
  const fn = n.childForFieldName('function');
  return !!fn && (fn.text === 'DAG' || fn.text === 'dag' || /\.(DAG|dag)$/.test(fn.text));
};

function calls(n: Node, out: Node[] = []): Node[] {
  if (n.type === 'call' && isDagCall(n)) out.push(n);
  for (const c of n.namedChildren) if (c) calls(c, out);
  return out;
}

const STRING = /^[rRuU]?("[^"\\\n]*"|'[^'\\\n]*')$/;

export function readReplacedDag(text: string, parser: Parser): ReplacedDagResult {
  const tree = parseWithDeadline(parser, text);
  if (!tree) return { error: 'the file could not be parsed' };
  try {
    const found = calls(tree.rootNode);
    if (found.length !== 1) return { error: found.length ? `it defines ${found.length} DAGs; expected exactly one` : 'no DAG(...) call found' };
    const call = found[0];
    const line = call.startPosition.row + 1;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((c): c is Node => !!c) ?? [];
    const kw = (name: string) => args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? null;
    const idNode = kw('dag_id') ?? args.find((a) => a.type !== 'keyword_argument') ?? null;
    if (!idNode || !STRING.test(idNode.text)) return { error: `line ${line}: the dag_id is not a string literal` };
    const dagId = JSON.parse(`"${idNode.text.replace(/^[rRuU]?["']|["']$/g, '')}"`) as string;
    const sched = kw('schedule') ?? kw('schedule_interval');
    let schedule: string | null = 'None';
    let scheduleProblem: string | null = null;
    if (sched) {
      const literal = sched.text === 'None' || STRING.test(sched.text);
      schedule = literal ? sched.text : null;
      if (!literal) scheduleProblem = `line ${sched.startPosition.row + 1}: the schedule (${sched.text}) is not a string literal or None; pass --schedule`;
    }
    const start = kw('start_date');
    const startDate = start && /^pendulum\.datetime\(\s*[\d\s,]*(,\s*tz\s*=\s*("[^"]*"|'[^']*'))?\s*\)$/.test(start.text) ? start.text : null;
    return { dag: { dagId, schedule, scheduleProblem, startDate, line } };
  } finally {
    tree.delete();
  }
}
