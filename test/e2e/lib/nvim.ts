/** Runs tools/nvim-lsp-probe (Neovim's built-in LSP client) against `airflow-access lsp --stdio`. */
import { spawn } from 'child_process';
import * as path from 'path';
import { distDir } from '../../helpers/paths';
import { toolsDir } from './env';
export { lineColOf } from './env';

export interface ProbeDiagnostic {
  message: string;
  severity: string;
  source?: string;
  code?: string | number;
  line: number;
  column: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface ProbeResult {
  ok: boolean;
  error?: string;
  diagnostics: ProbeDiagnostic[];
  /** `rendered`: the lines of Neovim's hover float (stylize_markdown), null if it failed. */
  hover: { text: string; raw: unknown; rendered: string[] | null } | null;
  codeActions?: { title: string; kind?: string; edit?: unknown; command?: unknown }[];
  timings: Record<string, number>;
  /** Exit status and stderr of the probe (for failure messages). */
  exitCode: number | null;
  stderr: string;
}

export interface ProbeOptions {
  root: string;
  file: string;
  /** 1-based line and column (characters) to hover / ask code actions at. */
  line: number;
  column: number;
  expectDiagnostics?: boolean;
  codeActions?: boolean;
  timeoutS?: number;
  settleMs?: number;
}

export function runProbe(o: ProbeOptions): Promise<ProbeResult> {
  const args = ['--root', o.root, '--timeout', String(o.timeoutS ?? 20), '--settle', String(o.settleMs ?? 800)];
  if (o.expectDiagnostics) args.push('--expect-diagnostics');
  if (o.codeActions) args.push('--code-actions');
  args.push(o.file, String(o.line), String(o.column), '--', process.execPath, path.join(distDir, 'cli.js'), 'lsp', '--stdio');
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(toolsDir, 'nvim-lsp-probe'), args, { cwd: o.root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (!line) return reject(new Error(`nvim-lsp-probe printed no JSON (exit ${code}):\n${out}\n${err}`));
      resolve({ ...(JSON.parse(line) as ProbeResult), exitCode: code, stderr: err });
    });
  });
}
