/**
 * The `airflowDagAccess.*` settings. This zod schema and its defaults are the single truth:
 * package.json `contributes.configuration` mirrors it and a unit test keeps the two equal.
 *
 * The server reads the section `airflowDagAccess` (a nested object, as VS Code returns it) and
 * passes it through `parseSettings`, which never throws: an invalid value is reported as a
 * problem and its default is used instead, every other value is kept.
 */
import { z } from 'zod';

export const SETTINGS_SECTION = 'airflowDagAccess';

export const DIAGNOSTIC_SEVERITIES = ['error', 'warning', 'information', 'hint', 'off'] as const;
export const TRACE_LEVELS = ['off', 'messages', 'verbose'] as const;
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

const globList = z.array(z.string().min(1));

export const SettingsSchema = z.object({
  configPath: z
    .string()
    .min(1)
    .default('airflow-access.yaml')
    .describe('Path of the role-mapping config, relative to the workspace folder (or absolute).'),
  database: z
    .object({
      url: z
        .string()
        .default('')
        .describe(
          'SQLAlchemy-style URL of the Airflow metadata database, without the password (e.g. postgresql://airflow@localhost:5432/airflow, mysql://airflow@db/airflow, sqlite:////path/airflow.db). Empty: no database features.',
        ),
    })
    .prefault({}),
  dags: z
    .object({
      include: globList
        .default(['**/*.py'])
        .describe('Globs (relative to the workspace folder) of the Python files indexed as DAG files.'),
      exclude: globList
        .default(['**/.*/**', '**/node_modules/**', '**/__pycache__/**', '**/venv/**'])
        .describe('Globs of files never indexed. `.airflowignore` files are honoured as well.'),
    })
    .prefault({}),
  safeMode: z
    .boolean()
    .default(true)
    .describe(
      "Like Airflow's dag_discovery_safe_mode: only index Python files that contain both the words 'airflow' and 'dag'.",
    ),
  airflowVersion: z
    .string()
    .regex(/^\d+\.\d+$/, 'expected "major.minor", e.g. "2.10"')
    .nullable()
    .default(null)
    .describe('Airflow version ("major.minor") to assume. null: the version from the config file, else the latest.'),
  codeLens: z
    .object({
      enable: z.boolean().default(true).describe('Show the roles that can read/edit/delete a DAG above its definition.'),
    })
    .prefault({}),
  diagnostics: z
    .object({
      severity: z
        .record(z.string().min(1), z.enum(DIAGNOSTIC_SEVERITIES))
        .default({})
        .describe('Severity per diagnostic code, e.g. { "ADA001": "error" }; "off" hides the code.'),
      mode: z
        .enum(['workspace', 'openFiles'])
        .default('workspace')
        .describe('"workspace": problems of every DAG file and the config are listed, open or not (LSP workspace diagnostics). "openFiles": only the files open in the editor.'),
    })
    .prefault({}),
  logLevel: z.enum(LOG_LEVELS).default('info').describe('Level of the server log in the "Airflow DAG Access" output.'),
  trace: z
    .object({
      server: z.enum(TRACE_LEVELS).default('off').describe('Trace the messages between VS Code and the language server.'),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

export interface ParsedSettings {
  settings: Settings;
  /** One line per rejected or corrected value; safe to log (never contains a password). */
  problems: string[];
}

/**
 * Validates raw settings. Invalid values fall back to their defaults, one by one; the
 * problems say which. A password inside `database.url` is removed (use SecretStorage).
 */
export function parseSettings(raw: unknown): ParsedSettings {
  const problems: string[] = [];
  let input: unknown = isObject(raw) ? structuredClone(raw) : {};
  if (raw !== undefined && raw !== null && !isObject(raw)) problems.push(`${SETTINGS_SECTION}: expected an object; using defaults`);

  // Each round drops the values zod rejected; bounded by the number of settings.
  for (let round = 0; round < 32; round++) {
    const result = SettingsSchema.safeParse(input);
    if (result.success) {
      const settings = result.data;
      const url = stripPassword(settings.database.url);
      if (url.hadPassword) {
        problems.push(
          `${SETTINGS_SECTION}.database.url contains a password; it was ignored. Store it with "Airflow Access: Set Database Password".`,
        );
        settings.database.url = url.url;
      }
      return { settings, problems };
    }
    for (const issue of result.error.issues) {
      const dropped = droppedPath(issue.path);
      problems.push(`${[SETTINGS_SECTION, ...dropped.map(String)].join('.')}: ${issue.message}; using the default`);
      input = dropPath(input, dropped);
    }
  }
  problems.push(`${SETTINGS_SECTION}: could not be read; using defaults`);
  return { settings: structuredClone(DEFAULT_SETTINGS), problems };
}

/** Removes the password from a database URL; `hadPassword` tells whether there was one. */
export function stripPassword(url: string): { url: string; hadPassword: boolean } {
  const m = /^([a-zA-Z][\w+.-]*:\/\/)([^/?#]*)@/.exec(url);
  if (!m) return { url, hadPassword: false };
  const userInfo = m[2];
  const colon = userInfo.indexOf(':');
  if (colon < 0) return { url, hadPassword: false };
  return { url: m[1] + userInfo.slice(0, colon) + '@' + url.slice(m[0].length), hadPassword: true };
}

/** The URL as it may appear in logs and messages: any password replaced by `***`. */
export function redactUrl(url: string): string {
  const m = /^([a-zA-Z][\w+.-]*:\/\/)([^/?#]*)@/.exec(url);
  if (!m || !m[2].includes(':')) return url;
  return m[1] + m[2].slice(0, m[2].indexOf(':')) + ':***@' + url.slice(m[0].length);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value to drop for an issue: an invalid array element takes its whole array with it. */
function droppedPath(path: readonly PropertyKey[]): PropertyKey[] {
  const arrayAt = path.findIndex((k, i) => i > 0 && typeof k === 'number');
  return arrayAt > 0 ? path.slice(0, arrayAt) : [...path];
}

/** Deletes the value at `keys` so that its default applies. */
function dropPath(input: unknown, keys: readonly PropertyKey[]): unknown {
  if (keys.length === 0) return {};
  let node: unknown = input;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node)) return input;
    node = node[k as string];
  }
  if (isObject(node)) delete node[keys[keys.length - 1] as string];
  return input;
}
