/**
 * A finding is what a rule reports: pure data, mapped to an LSP Diagnostic by the LSP layer,
 * to text / JSON / SARIF by the CLI.
 */
import type { Range } from './facts';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEditFact {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  kind: 'quickfix' | 'refactor';
  isPreferred?: boolean;
  edits: TextEditFact[];
}

export interface Finding {
  /** Stable code, e.g. ADA001. */
  code: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  related?: { file: string; range: Range; message: string }[];
  tags?: ('unnecessary' | 'deprecated')[];
  /** Edits that fix the finding; the LSP layer offers them as code actions. */
  fixes?: Fix[];
}
