/**
 * Cross-file resolution: replaces `pending` / `import` markers left by per-file extraction with the
 * values exported by the imported workspace modules (following re-exports), memoised per file.
 * Files that read another file are recorded so a change can re-resolve exactly its dependents.
 */
import { withOwnInit } from './extractDags';
import { copyOf, hasMarker } from './factMarkers';
import { placeAtCall } from './placeAtCall';
import { PARAMETER_MODULE } from './extractValues';
import type { AccessControlFact, ArgumentValue, AssetRefFact, DagFact, DynamicPart, FactoryCallFact, ExportedValue, FileFacts, ImportRef, PendingPart, Resolved, TagFact, TagsFact, ValueOrigin } from '../model/facts';

export type Source = (file: string) => FileFacts | undefined;
export type Locate = (module: string, fromFile: string) => string | null;

type Lookup = { ok: true; file: string; name: string; value: ExportedValue; facts: FileFacts } | { ok: false; reason: string };

const MAX_HOPS = 8;

export class CrossFileResolver {
  private readonly memo = new Map<string, FileFacts>();
  private readonly inProgress = new Set<string>();
  /** file → files it read while resolving. */
  private readonly deps = new Map<string, Set<string>>();
  /** Reverse of `deps`: file → files that read it (so invalidation never scans every file). */
  private readonly users = new Map<string, Set<string>>();
  /** Files with an import that did not resolve (a new file may fix them). */
  private readonly failed = new Set<string>();

  constructor(private readonly source: Source, private readonly locate: Locate) {}

  get(file: string): FileFacts | undefined {
    const hit = this.memo.get(file);
    if (hit) return hit;
    const raw = this.source(file);
    if (!raw) return undefined;
    if (this.inProgress.has(file)) return raw;
    this.inProgress.add(file);
    try {
      const out = this.resolve(raw);
      this.memo.set(file, out);
      return out;
    } finally {
      this.inProgress.delete(file);
    }
  }

  /** Forget `files` and everything that (transitively) read them; returns all forgotten files. */
  invalidate(files: Iterable<string>, includeFailed = false): Set<string> {
    const out = new Set<string>();
    const stack = [...files, ...(includeFailed ? this.failed : [])];
    while (stack.length) {
      const f = stack.pop()!;
      if (out.has(f)) continue;
      out.add(f);
      for (const user of this.users.get(f) ?? []) if (!out.has(user)) stack.push(user);
    }
    for (const f of out) {
      this.memo.delete(f);
      this.dropDeps(f);
      this.failed.delete(f);
    }
    return out;
  }

  private dropDeps(file: string): void {
    for (const d of this.deps.get(file) ?? []) this.users.get(d)?.delete(file);
    this.deps.delete(file);
  }

  private setDeps(file: string, used: Set<string>): void {
    this.dropDeps(file);
    this.deps.set(file, used);
    for (const d of used) {
      let u = this.users.get(d);
      if (!u) this.users.set(d, (u = new Set()));
      u.add(file);
    }
  }

  clear(): void {
    this.memo.clear();
    this.deps.clear();
    this.users.clear();
    this.failed.clear();
  }

  /** Per extracted facts object: re-resolving a file after an import changed does not walk it again. */
  private readonly marked = new WeakMap<FileFacts, boolean>();

  private needsResolving(raw: FileFacts): boolean {
    let m = this.marked.get(raw);
    if (m === undefined) this.marked.set(raw, (m = !!raw.factoryCalls?.length || hasMarker(raw)));
    return m;
  }

  private resolve(raw: FileFacts): FileFacts {
    // Most files have nothing to resolve: they are handed out as extracted, without the copy.
    if (!this.needsResolving(raw)) return raw;
    // Resolution rewrites DAGs, assets and exports in place: those are copied, the rest is shared.
    const f: FileFacts = { ...raw, dags: copyOf(raw.dags), assets: copyOf(raw.assets), exports: copyOf(raw.exports) };
    const ctx = new FileResolution(this, f.file);
    for (const a of f.assets) {
      if (a.name) a.name = ctx.resolved(a.name);
      if (a.uri) a.uri = ctx.resolved(a.uri);
      a.key = a.name ? (a.name.kind === 'static' ? a.name.value : null) : a.uri?.kind === 'static' ? a.uri.value : null;
      if (a.accessControl) {
        for (const k of ['producerTeams', 'consumerTeams'] as const) {
          const teams = a.accessControl[k];
          if (teams) a.accessControl.dynamic = ctx.strings(teams, a.accessControl.dynamic);
        }
      }
    }
    f.dags = f.dags.filter((d) => ctx.dagClass(d));
    for (const d of f.dags) resolveDag(d, ctx, f);
    for (const call of f.factoryCalls ?? []) f.dags.push(...this.expandFactoryCall(call, ctx));
    delete f.factoryCalls;
    for (const [name, v] of Object.entries(f.exports)) f.exports[name] = ctx.exported(v);
    this.setDeps(f.file, ctx.used);
    if (ctx.hadFailure) this.failed.add(f.file);
    return f;
  }

  /**
   * `make_dag("sales", tags=[...])` where `make_dag` is a factory of another workspace module: its DAGs,
   * read in the factory's file with the call's arguments as its parameters, placed at the call. A
   * function that is not a factory (or not in the workspace) gives nothing.
   */
  private expandFactoryCall(call: FactoryCallFact, ctx: FileResolution): DagFact[] {
    const l = this.r_lookup(call.ref, ctx);
    if (!l.ok || l.value.kind !== 'factory') return [];
    const factory = l.value;
    const args = new Map<string, ArgumentValue>();
    if (!call.unpacked) {
      let i = 0;
      for (const p of factory.params) {
        if (p.kind === 'star' || p.kind === 'double-star') {
          if (p.kind === 'star') i = call.positional.length;
          continue;
        }
        const given = p.kind === 'plain' && i < call.positional.length ? call.positional[i++] : call.keywords[p.name];
        const v = given ?? factory.defaults[p.name];
        if (v) args.set(p.name, v);
      }
    }
    const sub = new FileResolution(this, l.file, { args, callFile: ctx.file, factory: call.ref.symbol });
    const out: DagFact[] = [];
    for (const tmpl of factory.dags) {
      const d = copyOf(tmpl);
      resolveDag(d, sub, l.facts);
      placeAtCall(d, call, { name: call.ref.symbol, file: l.file, range: factory.range, refRange: call.range }, ctx.file);
      out.push(d);
    }
    for (const u of sub.used) ctx.used.add(u);
    ctx.hadFailure ||= sub.hadFailure;
    return out;
  }

  private r_lookup(ref: ImportRef, ctx: FileResolution): Lookup {
    return this.lookup(ref, ctx.file, ctx.used);
  }

  /** Find `ref` as seen from `fromFile`, following re-exports (`from x import y` in the target). */
  lookup(ref: ImportRef, fromFile: string, used: Set<string>, hops = 0): Lookup {
    if (hops > MAX_HOPS) return { ok: false, reason: `too many re-exports of \`${ref.symbol}\`` };
    const file = this.locate(ref.module, fromFile);
    if (!file) return { ok: false, reason: `module \`${ref.module}\` is not in the workspace` };
    used.add(file);
    if (this.inProgress.has(file)) return { ok: false, reason: `import cycle through \`${ref.module}\`` };
    const facts = this.get(file);
    if (!facts) return { ok: false, reason: `module \`${ref.module}\` could not be read` };
    if (facts.skipped) return { ok: false, reason: `module \`${ref.module}\` was not analysed (${facts.skipped})` };
    const value = facts.exports[ref.symbol];
    if (value) return { ok: true, file, name: ref.symbol, value, facts };
    const again = facts.imports.find((i) => i.alias === ref.symbol && i.symbol !== '' && i.symbol !== '*');
    if (again) return this.lookup({ module: again.module, symbol: again.symbol }, file, used, hops + 1);
    for (const star of facts.imports.filter((i) => i.symbol === '*')) {
      const r = this.lookup({ module: star.module, symbol: ref.symbol }, file, used, hops + 1);
      if (r.ok) return r;
    }
    return { ok: false, reason: `\`${ref.symbol}\` is not a constant defined in \`${ref.module}\`` };
  }
}

/** Markers of one DAG resolved in place (`f`: the facts its local asset indexes point into). */
function resolveDag(d: DagFact, ctx: FileResolution, f: FileFacts): void {
  d.dagId = ctx.resolved(d.dagId);
  if (d.tags) ctx.tags(d.tags);
  if (d.defaultArgsImport) {
    d.defaultArgsTags = ctx.importedDefaultArgsTags(d.defaultArgsImport);
    delete d.defaultArgsImport;
  }
  if (d.defaultArgsTags) ctx.tags(d.defaultArgsTags);
  if (d.accessControl) ctx.accessControl(d.accessControl);
  d.schedule = ctx.assetRefs(d.schedule, f);
  for (const p of d.producers) p.outlets = ctx.assetRefs(p.outlets, f);
}

/** A factory call being expanded: the arguments bound to the factory's parameters. */
interface CallBinding {
  args: Map<string, ArgumentValue>;
  callFile: string;
  factory: string;
}

/** Resolution of one file's markers; collects the files it read. */
class FileResolution {
  readonly used = new Set<string>();
  hadFailure = false;

  constructor(private readonly r: CrossFileResolver, readonly file: string, private readonly binding?: CallBinding) {}

  /**
   * A DAG built by an imported class: kept when the class is a DAG subclass in the workspace (the mark
   * removed), dropped otherwise (a class outside the workspace, or not a DAG).
   */
  dagClass(d: DagFact): boolean {
    if (!d.dagClass) return true;
    const l = this.look(d.dagClass);
    if (!l.ok || l.value.kind !== 'dagClass') {
      this.hadFailure ||= !l.ok;
      return false;
    }
    if (l.value.ownInit) withOwnInit(d, d.dagClass.symbol);
    delete d.dagClass;
    return true;
  }

  private look(ref: ImportRef): Lookup {
    if (ref.module === PARAMETER_MODULE) return this.argument(ref.symbol);
    const res = this.r.lookup(ref, this.file, this.used);
    if (!res.ok) this.hadFailure = true;
    return res;
  }

  /** A factory parameter: the argument the call gives it (read in the calling file). */
  private argument(name: string): Lookup {
    const b = this.binding;
    const a = b?.args.get(name);
    if (!b || !a) return { ok: false, reason: `\`${name}\` is a parameter of \`${b?.factory ?? '?'}\` that this call does not set` };
    if ('reason' in a) return { ok: false, reason: a.reason };
    const facts = this.r.get(b.callFile);
    if (!facts) return { ok: false, reason: `\`${name}\`: the calling file could not be read` };
    return { ok: true, file: b.callFile, name, value: a.value, facts };
  }

  private origin(l: Extract<Lookup, { ok: true }>, refRange: TagFact['range']): ValueOrigin {
    const v = l.value;
    const range = ('nameRange' in v && v.nameRange) || v.range;
    return { name: l.name, file: l.file, range, refRange };
  }

  template(parts: PendingPart[]): { ok: true; value: string; via?: ValueOrigin } | { ok: false; reason: string } {
    let value = '';
    let via: ValueOrigin | undefined;
    for (const p of parts) {
      if (p.kind === 'text') {
        value += p.value;
        continue;
      }
      const l = this.look(p.ref);
      if (!l.ok) return { ok: false, reason: l.reason };
      if (l.value.kind !== 'string') return { ok: false, reason: `\`${p.ref.symbol}\` from \`${p.ref.module}\` is not a static string` };
      value += l.value.value;
      via ??= this.origin(l, p.range);
    }
    return via ? { ok: true, value, via } : { ok: true, value };
  }

  resolved(v: Resolved<string>): Resolved<string> {
    if (v.kind !== 'dynamic' || !v.pending) return v;
    const t = this.template(v.pending);
    if (!t.ok) return { kind: 'dynamic', range: v.range, reason: t.reason };
    return t.via ? { kind: 'static', value: t.value, range: v.range, via: t.via } : { kind: 'static', value: t.value, range: v.range };
  }

  /** Move resolvable dynamic parts into `items`; returns the dynamic parts that remain. */
  strings(items: TagFact[], dynamic: DynamicPart[]): DynamicPart[] {
    const left: DynamicPart[] = [];
    for (const d of dynamic) {
      if (!d.pending) {
        left.push(d);
        continue;
      }
      const only = d.pending.length === 1 ? d.pending[0] : undefined;
      if (only?.kind === 'import') {
        const l = this.look(only.ref);
        if (l.ok && l.value.kind === 'strings') {
          const via = this.origin(l, d.range);
          const located = l.value.items ?? l.value.value.map((value) => ({ value, range: l.value.range }));
          items.push(...located.map((i) => ({ value: i.value, range: i.range, via })));
          continue;
        }
        if (l.ok && l.value.kind === 'string') {
          items.push({ value: l.value.value, range: l.value.range, via: this.origin(l, d.range) });
          continue;
        }
        left.push({ range: d.range, reason: l.ok ? `\`${only.ref.symbol}\` from \`${only.ref.module}\` is not a static string or list of strings` : l.reason });
        continue;
      }
      const t = this.template(d.pending);
      if (t.ok) items.push({ value: t.value, range: d.range });
      else left.push({ range: d.range, reason: t.reason });
    }
    return left;
  }

  /** `default_args=IMPORTED`: the `tags` inside the imported dict (Airflow ignores them), located in its file. */
  importedDefaultArgsTags(imp: { ref: ImportRef; range: TagsFact['range']; keywordRange: TagsFact['range'] }): TagsFact | null {
    const l = this.r.lookup(imp.ref, this.file, this.used);
    if (!l.ok || l.value.kind !== 'access_control' || !l.value.defaultArgsTags) return null;
    const via = this.origin(l, imp.range);
    const t = l.value.defaultArgsTags;
    // Ranges point into this file (the `default_args=` value); each tag's literal lives in the module (via).
    return { range: imp.range, keywordRange: imp.keywordRange, items: t.items.map((i) => ({ value: i.value, range: i.range, via: i.via ?? via })), dynamic: [] };
  }

  tags(t: TagsFact): void {
    t.dynamic = this.strings(t.items, t.dynamic);
  }

  accessControl(ac: AccessControlFact): void {
    if (ac.import) {
      const ref = ac.import;
      delete ac.import;
      const l = this.look(ref);
      if (l.ok && l.value.kind === 'access_control' && l.value.fact) {
        const src = l.value.fact;
        ac.kind = src.kind;
        ac.roles = src.roles;
        ac.dynamic = src.dynamic;
        ac.via = this.origin(l, ac.range);
        return;
      }
      ac.dynamic = [{ range: ac.range, reason: l.ok ? `\`${ref.symbol}\` from \`${ref.module}\` is not an access_control dict` : l.reason }];
      return;
    }
    for (const role of ac.roles) for (const res of role.resources) res.dynamic = this.strings(res.actions, res.dynamic);
    ac.dynamic = ac.dynamic.map((d) => (d.pending ? { range: d.range, reason: d.reason } : d));
  }

  assetRefs(list: AssetRefFact[], f: FileFacts): AssetRefFact[] {
    const out: AssetRefFact[] = [];
    for (const ref of list) {
      if (ref.localAsset !== undefined) {
        out.push({ ...ref, key: f.assets[ref.localAsset]?.key ?? null });
        continue;
      }
      if (!ref.import) {
        out.push(ref);
        continue;
      }
      const l = this.look(ref.import);
      if (l.ok && l.value.kind === 'asset') {
        const { import: imp, reason: _r, ...rest } = ref;
        out.push({ ...rest, key: l.facts.assets[l.value.assetIndex]?.key ?? null, imported: { file: l.file, symbol: imp.symbol } });
      } else if (l.ok && l.value.kind === 'assets') {
        const { import: imp, reason: _r, ...rest } = ref;
        for (const i of l.value.assetIndexes) out.push({ ...rest, key: l.facts.assets[i]?.key ?? null, imported: { file: l.file, symbol: imp.symbol } });
      } else if (l.ok && (l.value.kind === 'string' || l.value.kind === 'strings')) {
        // A cron string or preset imported for `schedule=`: not an asset.
      } else {
        out.push({ ...ref, reason: l.ok ? `\`${ref.import.symbol}\` from \`${ref.import.module}\` is not an asset` : l.reason });
      }
    }
    return out;
  }

  exported(v: ExportedValue): ExportedValue {
    if (v.kind === 'access_control' && v.fact) {
      this.accessControl(v.fact);
      return v;
    }
    if (v.kind !== 'dynamic' || !v.pending) return v;
    if (v.pending.shape === 'string') {
      const t = this.template(v.pending.parts);
      return t.ok ? { kind: 'string', value: t.value, range: v.range } : { kind: 'dynamic', range: v.range };
    }
    const items: TagFact[] = [];
    const dynamic = this.strings(
      items,
      v.pending.parts.flatMap((p): DynamicPart[] => {
        if (p.kind === 'text') {
          items.push({ value: p.value, range: p.range });
          return [];
        }
        return [{ range: p.range, reason: 'imported', pending: [p] }];
      }),
    );
    if (dynamic.length) return { kind: 'dynamic', range: v.range };
    return { kind: 'strings', value: items.map((i) => i.value), range: v.range, items: items.map((i) => ({ value: i.value, range: i.range })) };
  }
}
