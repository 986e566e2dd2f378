/** `check`: every diagnostic the editor would show (rules, config problems, parse errors), for CI. */
import * as fs from 'fs';
import * as path from 'path';
import { UsageError, list, str } from '../args';
import { type Command, type CommandContext, EXIT, packageVersion } from '../command';
import type { Finding, Severity } from '../../model/findings';
import { CATALOGUE } from '../../rules/catalogue';
import { type CheckReport, SEVERITY_ORDER, findingsToJson, formatFindingsText, sortFindings } from '../output/findings';
import { stringifyJson } from '../output/json';
import { toSarif } from '../output/sarif';
import { pathFilter } from '../paths';
import type { Project } from '../../project/project';

const LEVELS = ['error', 'warning', 'info', 'hint', 'off'] as const;
type Level = (typeof LEVELS)[number];

export const check: Command = {
  name: 'check',
  summary: 'report every diagnostic (rules, config problems, parse errors) as text, JSON or SARIF',
  description:
    'Indexes the workspace, loads the role-mapping config and runs every rule, as the language server does.\n' +
    'With paths, only findings in those files or folders are reported (the whole workspace is still indexed,\n' +
    'because a DAG file may import its tags from another file).',
  positionals: [{ name: 'paths', description: 'files or folders to report on (default: the whole workspace)', variadic: true }],
  options: [
    { name: 'format', short: 'f', type: 'string', valueName: 'FORMAT', choices: ['text', 'json', 'sarif'], description: 'output format' },
    { name: 'fail-on', type: 'string', valueName: 'LEVEL', choices: ['error', 'warning', 'info', 'never'], description: 'exit 1 when a finding at or above LEVEL exists (default: error)' },
    { name: 'severity', type: 'list', valueName: 'CODE=LEVEL', description: 'override a code\'s severity: error, warning, info, hint or off' },
    { name: 'rule', type: 'list', valueName: 'CODE', description: 'report only this code (or kebab-case name), e.g. ADA001 or unmapped-permission-tag' },
    { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write the report to FILE instead of stdout' },
  ],
  examples: [
    'airflow-access check',
    'airflow-access check dags/ --fail-on warning',
    'airflow-access check --format sarif -o airflow-access.sarif',
    'airflow-access check --severity ADA001=error --severity ADA010=off',
    'airflow-access check --rule unmapped-permission-tag --format json',
  ],
  run: runCheck,
};

function parseOverrides(values: string[]): Map<string, Level> {
  const out = new Map<string, Level>();
  for (const v of values) {
    const m = /^([A-Za-z]+\d+)=(\w+)$/.exec(v.trim());
    if (!m) throw new UsageError(`--severity expects CODE=LEVEL, e.g. ADA001=error (got "${v}")`);
    const code = m[1].toUpperCase();
    const level = (m[2] === 'information' ? 'info' : m[2]) as Level;
    if (!CATALOGUE.has(code)) throw new UsageError(`--severity: unknown diagnostic code ${code}`);
    if (!LEVELS.includes(level)) throw new UsageError(`--severity ${code}: level must be one of ${LEVELS.join(', ')} (got "${m[2]}")`);
    out.set(code, level);
  }
  return out;
}

/** `--rule` values (codes or names) → the codes to keep, or null for all. */
function ruleFilter(values: string[]): Set<string> | null {
  if (values.length === 0) return null;
  const codes = new Set<string>();
  for (const v of values) {
    const info = CATALOGUE.get(v.toUpperCase()) ?? [...CATALOGUE.values()].find((c) => c.name === v);
    if (!info) throw new UsageError(`--rule: unknown diagnostic code or name "${v}"`);
    codes.add(info.code);
  }
  return codes;
}

function applyOverrides(findings: Finding[], overrides: Map<string, Level>, only: Set<string> | null): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    if (only && !only.has(f.code)) continue;
    const level = overrides.get(f.code);
    if (level === 'off') continue;
    out.push(level ? { ...f, severity: level } : f);
  }
  return out;
}

async function runCheck(ctx: CommandContext): Promise<number> {
  const format = ctx.format(['text', 'json', 'sarif'] as const);
  const overrides = parseOverrides(list(ctx.args, 'severity'));
  const only = ruleFilter(list(ctx.args, 'rule'));
  const failOn = str(ctx.args, 'fail-on') ?? 'error';
  const wanted = pathFilter(ctx, ctx.args.positionals);
  const outFile = str(ctx.args, 'output');

  const { openWorkspace, runConfigRules, runRules } = await import('../lazyEngine.js');
  const project = await openWorkspace(ctx, {
    adjust: (settings) => {
      for (const [code, level] of overrides) settings.diagnostics.severity[code] = level === 'info' ? 'information' : level;
    },
  });
  try {
    ctx.progress.step('Checking');
    const basis = dagCheckBasis(ctx, project);
    const files = project.files().filter((f) => wanted(f.file));
    const findings: Finding[] = [];
    for (const f of files) {
      ctx.progress.tick(`Checking ${ctx.rel(f.file)}`);
      findings.push(...runRules(project, f.file, { configFree: basis.skip }));
    }
    findings.push(...runConfigRules(project).filter((f) => wanted(f.file)));
    const report: CheckReport = {
      root: ctx.root,
      configFile: project.configFile,
      filesChecked: files.length,
      dagCount: files.reduce((n, f) => n + f.dags.length, 0),
      findings: sortFindings(applyOverrides(findings, overrides, only)),
      dagChecks: basis.skip ? 'skipped' : 'ran',
      notes: basis.note ? [basis.note] : [],
    };
    ctx.progress.done();

    const rel = (file: string) => ctx.rel(file);
    let text: string;
    if (format === 'json') text = stringifyJson(findingsToJson(report, rel, packageVersion()));
    else if (format === 'sarif') {
      const rules = [...CATALOGUE.values()].map((c) => ({
        code: c.code,
        name: c.name,
        title: c.title,
        defaultSeverity: overrides.get(c.code) && overrides.get(c.code) !== 'off' ? (overrides.get(c.code) as Severity) : c.defaultSeverity,
        helpUri: c.helpUri,
      }));
      text = stringifyJson(toSarif(report.findings, rules, ctx.root, rel, packageVersion()));
    } else text = formatFindingsText(report, rel, outFile ? { ...ctx.colour, ...plain } : ctx.colour);

    if (outFile) {
      fs.mkdirSync(path.dirname(ctx.abs(outFile)), { recursive: true });
      fs.writeFileSync(ctx.abs(outFile), text);
      ctx.note(`Wrote ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} to ${outFile}`);
    } else if (format === 'text') ctx.outText(text);
    else ctx.out(text);

    if (failOn === 'never') return EXIT.ok;
    const threshold = SEVERITY_ORDER[failOn as Severity];
    return report.findings.some((f) => SEVERITY_ORDER[f.severity] >= threshold) ? EXIT.findings : EXIT.ok;
  } finally {
    await project.dispose();
  }
}

/**
 * What the DAG files are judged against. A config with errors has no meaning the DAGs can be checked
 * against: its valid part would report every tag of a dropped role as unmapped and every DAG as
 * reaching no role. The editor uses the config's last valid version; the CLI has none, so it skips the
 * DAG checks that read the config (Python syntax errors are still found) and says so. Without any config file the DAGs are checked against Airflow's defaults alone.
 */
function dagCheckBasis(ctx: CommandContext, project: Project): { skip: boolean; note: string | null } {
  const file = project.configFile ? ctx.rel(project.configFile) : null;
  const errors = project.configErrors().length;
  if (file && (errors > 0 || !project.config)) {
    return {
      skip: true,
      note:
        `DAG checks were skipped: the config ${file} has ${errors || 'unreadable'} error${errors === 1 ? '' : 's'}, and judging DAGs against the rest of it ` +
        'would report tags and roles it drops (Python syntax errors in DAG files are still reported). Fix the config and run check again.',
    };
  }
  if (!project.configFile) {
    const looked = path.join(ctx.root, project.settings.configPath);
    return {
      skip: false,
      note: `No role-mapping config found (looked for ${ctx.rel(looked)}): no tag grants any role here, so DAGs are checked against access_control and Airflow's default roles only. Create airflow-access.yaml or pass --config FILE.`,
    };
  }
  return { skip: false, note: null };
}

const id = (s: string) => s;
const plain = { enabled: false, red: id, yellow: id, green: id, cyan: id, dim: id, bold: id };
