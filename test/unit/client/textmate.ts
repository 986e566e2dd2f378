/**
 * A small TextMate interpreter for testing our grammars without vscode-textmate: match rules,
 * begin/end rules (across lines), captures, contentName, and includes of `#repo` / `$self`.
 * Includes of other grammars (e.g. `source.python`) are skipped. Patterns are compiled as
 * JavaScript regexps, so the grammars must stay within the syntax both engines share.
 */
export interface GrammarRule {
  include?: string;
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  contentName?: string;
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
  endCaptures?: Record<string, { name?: string }>;
  patterns?: GrammarRule[];
}

export interface GrammarJson {
  scopeName: string;
  patterns: GrammarRule[];
  repository?: Record<string, GrammarRule>;
}

export interface Token {
  text: string;
  scopes: string[];
}

interface Frame {
  rule: GrammarRule;
  scopes: string[];
  end: RegExp;
}

const cache = new Map<string, RegExp>();
export function compile(source: string): RegExp {
  let re = cache.get(source);
  if (!re) cache.set(source, (re = new RegExp(source, 'gd')));
  return re;
}

function names(name: string | undefined): string[] {
  return name ? name.split(/\s+/).filter(Boolean) : [];
}

export class MiniGrammar {
  constructor(private readonly grammar: GrammarJson) {}

  /** Every regexp in the grammar (for a compile check). */
  allRegexps(): string[] {
    const out: string[] = [];
    const walk = (r: GrammarRule) => {
      for (const k of ['match', 'begin', 'end'] as const) if (r[k]) out.push(r[k]!);
      r.patterns?.forEach(walk);
    };
    this.grammar.patterns.forEach(walk);
    Object.values(this.grammar.repository ?? {}).forEach(walk);
    return out;
  }

  tokenize(text: string): Token[][] {
    const stack: Frame[] = [];
    return text.split('\n').map((line) => this.tokenizeLine(line, stack));
  }

  private resolve(rules: GrammarRule[], seen = new Set<GrammarRule>()): GrammarRule[] {
    const out: GrammarRule[] = [];
    for (const r of rules) {
      if (r.include === undefined) {
        out.push(r);
        continue;
      }
      let target: GrammarRule[] = [];
      if (r.include === '$self') target = this.grammar.patterns;
      else if (r.include.startsWith('#')) {
        const repo = this.grammar.repository?.[r.include.slice(1)];
        if (!repo) throw new Error(`unknown include ${r.include}`);
        target = repo.match || repo.begin ? [repo] : (repo.patterns ?? []);
      }
      for (const t of target) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push(...this.resolve([t], seen));
      }
    }
    return out;
  }

  private tokenizeLine(line: string, stack: Frame[]): Token[] {
    const chars: string[][] = Array.from({ length: line.length }, () => []);
    let pos = 0;
    for (let guard = 0; guard < 10_000; guard++) {
      const frame = stack[stack.length - 1];
      const base = frame ? frame.scopes : [this.grammar.scopeName];
      const candidates = this.resolve(frame ? (frame.rule.patterns ?? []) : this.grammar.patterns);
      let best: { m: RegExpExecArray; rule: GrammarRule | null } | undefined;
      if (frame) {
        frame.end.lastIndex = pos;
        const m = frame.end.exec(line);
        if (m) best = { m, rule: null };
      }
      for (const rule of candidates) {
        const re = compile((rule.match ?? rule.begin)!);
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best || (pos >= line.length && best.m[0].length > 0)) break;
      const { m, rule } = best;
      for (let i = pos; i < m.index; i++) chars[i] = [...base];
      const end = m.index + m[0].length;
      if (rule === null) {
        this.paint(chars, m, [...frame!.scopes.slice(0, frame!.scopes.length - names(frame!.rule.contentName).length)], frame!.rule.endCaptures);
        stack.pop();
      } else if (rule.match) {
        this.paint(chars, m, [...base, ...names(rule.name)], rule.captures);
      } else {
        const outer = [...base, ...names(rule.name)];
        this.paint(chars, m, outer, rule.beginCaptures ?? rule.captures);
        stack.push({ rule, scopes: [...outer, ...names(rule.contentName)], end: compile(rule.end!) });
      }
      if (m[0].length === 0 && rule !== null && rule.match) pos = end + 1;
      else pos = end;
      if (pos > line.length) break;
    }
    // Characters no rule reached keep the innermost frame's scopes.
    const frame = stack[stack.length - 1];
    const base = frame ? frame.scopes : [this.grammar.scopeName];
    for (let i = pos; i < line.length; i++) if (chars[i].length === 0) chars[i] = [...base];
    return merge(line, chars);
  }

  private paint(chars: string[][], m: RegExpExecArray, scopes: string[], captures?: Record<string, { name?: string }>): void {
    const start = m.index;
    for (let i = start; i < start + m[0].length; i++) chars[i] = [...scopes];
    if (!captures || !m.indices) return;
    for (const [group, capture] of Object.entries(captures).sort((a, b) => Number(a[0]) - Number(b[0]))) {
      const span = m.indices[Number(group)];
      if (!span || !capture.name) continue;
      for (let i = span[0]; i < span[1]; i++) chars[i] = [...chars[i], ...names(capture.name)];
    }
  }
}

function merge(line: string, chars: string[][]): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < line.length; i++) {
    const last = tokens[tokens.length - 1];
    if (last && last.scopes.join(' ') === chars[i].join(' ')) last.text += line[i];
    else tokens.push({ text: line[i], scopes: chars[i] });
  }
  return tokens;
}

/** The scopes of the first token whose text is `text` on any line. */
export function scopesOf(lines: Token[][], text: string): string[] | undefined {
  for (const tokens of lines) for (const t of tokens) if (t.text === text) return t.scopes;
  return undefined;
}
