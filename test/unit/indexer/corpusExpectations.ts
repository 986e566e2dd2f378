/**
 * Turns hand-written `*.expected.json` files and indexed FileFacts into comparable items per field,
 * so the corpus test can count true/false positives and negatives field by field.
 * Positions in expectations are 1-based `line:column` of the start of the value's expression / literal.
 */
import type { AccessControlFact, DagFact, FileFacts, Range } from '../../../server/src/model/facts';

export interface ExpectedDag {
  id: string | null;
  at: string;
  style?: string;
  instantiated?: boolean;
  tags?: string[] | null;
  tagsDynamic?: number;
  defaultArgsTags?: string[] | null;
  access?: 'none' | 'dynamic' | Record<string, string[] | Record<string, string[]>> | null;
  accessRolesAt?: Record<string, string>;
  schedule?: string[];
  scheduleDynamic?: number;
  unresolvedSchedule?: number;
  outlets?: string[];
  tasks?: string[];
}

export interface ExpectedAsset {
  key: string;
  kind?: string;
  producerTeams?: string[];
  consumerTeams?: string[];
  allowGlobal?: boolean;
  allowProducerTeams?: string[];
}

export interface ExpectedFile {
  dags: ExpectedDag[];
  assets?: ExpectedAsset[];
  syntaxErrors?: boolean;
  skipped?: boolean;
  /** Broken file: compare only the DAG fields written down. */
  partial?: boolean;
}

export type Items = Map<string, string[]>;

export const FIELDS = [
  'dagId', 'dagIdRange', 'dynamicDagId', 'style', 'instantiated', 'tags', 'tagRange', 'tagsDynamic', 'defaultArgsTags',
  'access', 'accessRange', 'assets', 'assetTeams', 'assetTeamRange', 'schedule', 'scheduleDynamic', 'outlets', 'tasks', 'syntaxErrors', 'skipped',
] as const;
export type Field = (typeof FIELDS)[number];

export function at(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}`;
}

function push(items: Items, field: Field, value: string): void {
  const list = items.get(field) ?? [];
  list.push(value);
  items.set(field, list);
}

function splitAt(s: string): [string, string | undefined] {
  const i = s.lastIndexOf('@');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function dagKey(id: string | null, pos: string): string {
  return id ?? `dynamic@${pos}`;
}

export function expectedItems(file: string, exp: ExpectedFile): Items {
  const items: Items = new Map();
  const partial = exp.partial === true;
  for (const d of exp.dags) {
    const key = dagKey(d.id, d.at);
    push(items, d.id === null ? 'dynamicDagId' : 'dagId', key);
    push(items, 'dagIdRange', `${key}@${d.at}`);
    if (d.style) push(items, 'style', `${key}:${d.style}`);
    if (!partial || d.instantiated !== undefined) push(items, 'instantiated', `${key}:${d.instantiated ?? true}`);
    if (!partial || d.tags !== undefined) {
      for (const t of d.tags ?? []) {
        const [v, p] = splitAt(t);
        push(items, 'tags', `${key}|${v}`);
        if (p) push(items, 'tagRange', `${key}|${v}@${p}`);
      }
      for (let i = 0; i < (d.tagsDynamic ?? 0); i++) push(items, 'tagsDynamic', `${key}|#${i}`);
      for (const t of d.defaultArgsTags ?? []) {
        const [v, p] = splitAt(t);
        push(items, 'defaultArgsTags', `${key}|${v}`);
        if (p) push(items, 'tagRange', `${key}|default_args|${v}@${p}`);
      }
    }
    expectedAccess(items, key, d);
    if (!partial || d.schedule !== undefined) for (const s of d.schedule ?? []) push(items, 'schedule', `${key}|${s}`);
    for (let i = 0; i < (d.unresolvedSchedule ?? 0); i++) push(items, 'schedule', `${key}|<unresolved>#${i}`);
    if (d.scheduleDynamic !== undefined) for (let i = 0; i < d.scheduleDynamic; i++) push(items, 'scheduleDynamic', `${key}|#${i}`);
    if (!partial || d.outlets !== undefined) for (const o of d.outlets ?? []) push(items, 'outlets', `${key}|${o}`);
    for (const t of d.tasks ?? []) push(items, 'tasks', `${key}|${t}`);
  }
  for (const a of exp.assets ?? []) {
    push(items, 'assets', a.kind ? `${a.key}:${a.kind}` : a.key);
    for (const [k, list] of [['producer', a.producerTeams], ['consumer', a.consumerTeams], ['allow_producer', a.allowProducerTeams]] as const) {
      for (const t of list ?? []) {
        const [v, p] = splitAt(t);
        push(items, 'assetTeams', `${a.key}|${k}|${v}`);
        if (p) push(items, 'assetTeamRange', `${a.key}|${k}|${v}@${p}`);
      }
    }
    if (a.allowGlobal !== undefined) push(items, 'assetTeams', `${a.key}|allow_global|${a.allowGlobal}`);
  }
  if (exp.syntaxErrors) push(items, 'syntaxErrors', file);
  if (exp.skipped) push(items, 'skipped', file);
  return items;
}

function expectedAccess(items: Items, key: string, d: ExpectedDag): void {
  const ac = d.access;
  if (ac === undefined || ac === null) return;
  if (ac === 'none' || ac === 'dynamic') return push(items, 'access', `${key}|<${ac}>`);
  if (Object.keys(ac).length === 0) push(items, 'access', `${key}|<empty>`);
  for (const [role, v] of Object.entries(ac)) {
    const byResource = Array.isArray(v) ? { '*': v } : v;
    for (const [res, actions] of Object.entries(byResource)) {
      for (const a of actions) {
        const [action, p] = splitAt(a);
        push(items, 'access', `${key}|${role}|${res}|${action}`);
        if (p) push(items, 'accessRange', `${key}|${role}|${res}|${action}@${p}`);
      }
    }
  }
  for (const [role, p] of Object.entries(d.accessRolesAt ?? {})) push(items, 'accessRange', `${key}|${role}@${p}`);
}

/** Items from indexed facts. Ranges are reported only for literals written in this file. */
export function actualItems(facts: FileFacts, exp: ExpectedFile): Items {
  const items: Items = new Map();
  const here = (via?: { file: string }): boolean => !via || via.file === facts.file;
  const partial = exp.partial === true;
  for (const d of facts.dags) {
    const id = d.dagId.kind === 'static' ? d.dagId.value : null;
    const key = dagKey(id, at(d.dagId.range));
    const e = exp.dags.find((x) => dagKey(x.id, x.at) === key);
    push(items, id === null ? 'dynamicDagId' : 'dagId', key);
    push(items, 'dagIdRange', `${key}@${at(d.dagId.range)}`);
    if (e?.style) push(items, 'style', `${key}:${d.style}`);
    if (!partial || e?.instantiated !== undefined) push(items, 'instantiated', `${key}:${d.instantiated}`);
    if (!partial || e?.tags !== undefined) {
      for (const t of d.tags?.items ?? []) {
        push(items, 'tags', `${key}|${t.value}`);
        if (here(t.via)) push(items, 'tagRange', `${key}|${t.value}@${at(t.range)}`);
      }
      (d.tags?.dynamic ?? []).forEach((_, i) => push(items, 'tagsDynamic', `${key}|#${i}`));
      for (const t of d.defaultArgsTags?.items ?? []) {
        push(items, 'defaultArgsTags', `${key}|${t.value}`);
        if (here(t.via)) push(items, 'tagRange', `${key}|default_args|${t.value}@${at(t.range)}`);
      }
    }
    actualAccess(items, key, d.accessControl, here);
    if (!partial || e?.schedule !== undefined) {
      let unresolved = 0;
      for (const r of d.schedule) push(items, 'schedule', `${key}|${r.key ?? `<unresolved>#${unresolved++}`}`);
    }
    if (e?.scheduleDynamic !== undefined) d.scheduleDynamic.forEach((_, i) => push(items, 'scheduleDynamic', `${key}|#${i}`));
    if (!partial || e?.outlets !== undefined) for (const p of d.producers) for (const o of p.outlets) push(items, 'outlets', `${key}|${o.key ?? '<unresolved>'}`);
    if (e?.tasks) for (const p of d.producers) push(items, 'tasks', `${key}|${p.taskId ?? '<dynamic>'}`);
  }
  for (const a of facts.assets) {
    const e = exp.assets?.find((x) => x.key === a.key);
    push(items, 'assets', e?.kind ? `${a.key}:${a.kind}` : String(a.key));
    const ac = a.accessControl;
    for (const [k, list] of [['producer', ac?.producerTeams], ['consumer', ac?.consumerTeams], ['allow_producer', a.allowProducerTeams?.teams]] as const) {
      for (const t of list ?? []) {
        push(items, 'assetTeams', `${a.key}|${k}|${t.value}`);
        if (here(t.via)) push(items, 'assetTeamRange', `${a.key}|${k}|${t.value}@${at(t.range)}`);
      }
    }
    if (ac?.allowGlobal) push(items, 'assetTeams', `${a.key}|allow_global|${ac.allowGlobal.value}`);
  }
  if (facts.syntaxErrors.length) push(items, 'syntaxErrors', facts.file);
  if (facts.skipped) push(items, 'skipped', facts.file);
  return items;
}

function actualAccess(items: Items, key: string, ac: AccessControlFact | null, here: (via?: { file: string }) => boolean): void {
  if (!ac) return;
  if (ac.kind !== 'dict') return push(items, 'access', `${key}|<${ac.kind}>`);
  if (ac.roles.length === 0) push(items, 'access', `${key}|<empty>`);
  const local = here(ac.via);
  for (const role of ac.roles) {
    if (local) push(items, 'accessRange', `${key}|${role.role.value}@${at(role.role.range)}`);
    for (const res of role.resources) {
      const r = res.resource?.value ?? '*';
      for (const a of res.actions) {
        push(items, 'access', `${key}|${role.role.value}|${r}|${a.value}`);
        if (local && here(a.via)) push(items, 'accessRange', `${key}|${role.role.value}|${r}|${a.value}@${at(a.range)}`);
      }
    }
  }
}

export function dagSummary(d: DagFact): string {
  return d.dagId.kind === 'static' ? d.dagId.value : `<dynamic: ${d.dagId.reason}>`;
}
