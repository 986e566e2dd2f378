/**
 * Facts extracted from one Python file. Pure data: no LSP, no VS Code, no tree-sitter objects.
 *
 * Positions are 0-based lines and UTF-16 columns, which is what both tree-sitter (web) and LSP use,
 * so a `Range` here is structurally an LSP `Range`.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A value read from source, with the range of the expression it was read from. */
export interface Located<T> {
  value: T;
  range: Range;
}

/**
 * A value that may or may not be statically known.
 * `static`: the indexer resolved it (literal, constant, f-string of constants, concatenation...).
 * `dynamic`: it depends on run time (loop variable, function call, globals()[...]) and is never guessed.
 */
export type Resolved<T> =
  | { kind: 'static'; value: T; range: Range; via?: ValueOrigin }
  | { kind: 'dynamic'; range: Range; reason: string; pending?: PendingPart[] };

/** A name imported from another module, as written (`module` keeps leading dots of relative imports). */
export interface ImportRef {
  module: string;
  symbol: string;
}

/**
 * Piece of a value that depends on imports. Per-file extraction cannot see other files, so it records
 * the literal parts and the imported names in order; the workspace index resolves them.
 */
export type PendingPart =
  | { kind: 'text'; value: string; range: Range }
  | { kind: 'import'; ref: ImportRef; range: Range };

/** Where a resolved value came from when it was not written in place (a constant, maybe imported). */
export interface ValueOrigin {
  /** Name of the constant used, e.g. `TEAM_TAGS` or `common.tags.ANALYTICS`. */
  name: string;
  /** File where the constant is defined (absolute path). */
  file: string;
  /** Range of the constant's name in its definition (`TEAM_TAGS = ...`), in `file`. */
  range: Range;
  /** Range of the expression that uses the constant, in the file being described. */
  refRange?: Range;
}

export interface DynamicPart {
  range: Range;
  reason: string;
  /** Set while the part depends on imported names the workspace index has not resolved (yet). */
  pending?: PendingPart[];
}

/**
 * One tag string in `tags=[...]`. `range` covers the string literal including its quotes, in the file
 * where the literal is written: `via.file` when `via` is set, else the file being described.
 */
export interface TagFact {
  value: string;
  range: Range;
  /** Set when the tag came through a constant (its literal may live in another file). */
  via?: ValueOrigin;
}

export interface TagsFact {
  /** Range of the whole `tags=` value expression. */
  range: Range;
  /** Range of the `tags` keyword (for inserting / locating). */
  keywordRange: Range;
  items: TagFact[];
  /** Parts of the expression that could not be resolved; non-empty means the tag list is incomplete. */
  dynamic: DynamicPart[];
  /** Range to insert a new tag string at (just before the closing bracket), when the value is a literal list/tuple/set. */
  insertAt?: Position;
}

export interface AccessControlResourceFact {
  /** Resource key as written in the nested form (`"DAGs"`, `"DAG Runs"`, or anything the user wrote); null for the legacy form. */
  resource: Located<string> | null;
  actions: TagFact[];
  /** Unresolvable parts of the action collection. */
  dynamic: DynamicPart[];
}

export interface AccessControlRoleFact {
  role: Located<string>;
  /** 'legacy': `{"Role": {"can_read"}}`; 'nested': `{"Role": {"DAGs": {...}}}`. */
  form: 'legacy' | 'nested';
  resources: AccessControlResourceFact[];
  /** Whole `"Role": {...}` pair. */
  range: Range;
}

export interface AccessControlFact {
  /** Range of the `access_control=` value expression. */
  range: Range;
  keywordRange: Range;
  /**
   * 'none': `access_control=None` (hands-off, same as absent);
   * 'dict': a dict literal, possibly empty (`{}` wipes per-DAG grants);
   * 'dynamic': could not be read statically.
   */
  kind: 'none' | 'dict' | 'dynamic';
  roles: AccessControlRoleFact[];
  dynamic: DynamicPart[];
  via?: ValueOrigin;
  /** Set while the value is an imported name the workspace index has not resolved (kind is then 'dynamic'). */
  import?: ImportRef;
}

/** A reference to an asset from a schedule or an outlet. */
export interface AssetRefFact {
  /** Asset key (`name` if given, else `uri`) when resolved; null when the expression is dynamic. */
  key: string | null;
  range: Range;
  /** Index into FileFacts.assets when the Asset(...) is defined in this file, else undefined. */
  localAsset?: number;
  /** When the ref resolves through an import: module path and symbol, so the workspace index can link it. */
  imported?: { file: string; symbol: string };
  /** Set while the ref is an imported name the workspace index has not resolved (key is then null). */
  import?: ImportRef;
  reason?: string;
}

export interface AssetAccessControlFact {
  range: Range;
  producerTeams: TagFact[] | null;
  consumerTeams: TagFact[] | null;
  allowGlobal: Located<boolean> | null;
  dynamic: DynamicPart[];
}

export interface AssetFact {
  /** `Asset` (Airflow 3) or `Dataset` (Airflow 2). */
  kind: 'Asset' | 'Dataset';
  name: Resolved<string> | null;
  uri: Resolved<string> | null;
  /** name if static, else uri if static, else null. */
  key: string | null;
  /** Whole call expression. */
  range: Range;
  /** Module-level variable the asset is assigned to, if any. */
  variable?: Located<string>;
  accessControl: AssetAccessControlFact | null;
  /** Deprecated `allow_producer_teams=[...]` keyword, if used. */
  allowProducerTeams: { range: Range; keywordRange: Range; teams: TagFact[] } | null;
}

export interface ProducerFact {
  /** Task id when static. */
  taskId: string | null;
  /** Range of the operator call or the @task decorator. */
  range: Range;
  outlets: AssetRefFact[];
}

export interface DagFact {
  dagId: Resolved<string>;
  /** How the DAG is defined. */
  style: 'with' | 'assign' | 'decorator' | 'call';
  /** Whole DAG(...) call, or the decorated function definition. */
  range: Range;
  /** The callee (`DAG`, `airflow.DAG`, `dag`): where code lenses and symbols point. */
  nameRange: Range;
  /** Range of the `(...)` argument list of the DAG call / decorator, if any (for inserting keywords). */
  argsRange?: Range;
  tags: TagsFact | null;
  /** `tags` placed inside `default_args`: Airflow ignores them. */
  defaultArgsTags: TagsFact | null;
  /** Set while `default_args` is an imported name the workspace index has not resolved (for defaultArgsTags). */
  defaultArgsImport?: { ref: ImportRef; range: Range; keywordRange: Range };
  /** null: not given. kind 'none': explicitly None. */
  accessControl: AccessControlFact | null;
  /** Assets this DAG is scheduled on (consumer side). */
  schedule: AssetRefFact[];
  /** Unresolvable parts of the schedule expression. */
  scheduleDynamic: DynamicPart[];
  /** Tasks of this DAG that declare outlets (producer side). */
  producers: ProducerFact[];
  /** For decorator style: whether the decorated function is called at module level (only then does the DAG exist). */
  instantiated: boolean;
  /** Decorator style: the decorated function's name (calling it creates the DAG). */
  functionName?: { name: string; range: Range };
  /**
   * Built inside a module-level factory function (a `DAG(...)` in its body, or a `@dag` function it
   * defines and calls): the DAG exists once the factory is called. Set on the fact kept when no call was found.
   */
  factory?: { name: string; range: Range };
  /**
   * Built by calling a class imported from another module that may subclass DAG there (`TeamDag(...)`):
   * set until the workspace index finds the class (the fact is dropped when it is not a DAG subclass).
   */
  dagClass?: ImportRef;
  /** One DAG per module-level call of a factory: the call that builds this one (`make_dag("sales")`). */
  factoryCall?: { name: string; range: Range };
}

export interface SyntaxErrorFact {
  range: Range;
  message: string;
}

export interface ImportFact {
  /** Absolute module path as written, e.g. `common.tags` or `.tags` (relative). */
  module: string;
  /** Imported symbol (`*` for star import, `''` for `import a.b`) and local alias. */
  symbol: string;
  alias: string;
  range: Range;
}

/** A call argument (or a parameter default) as another file sees it: a value, or why it is not one. */
export type ArgumentValue = { value: ExportedValue } | { reason: string };

/** A module-level call of an imported function that may be a DAG factory of another workspace module. */
export interface FactoryCallFact {
  ref: ImportRef;
  /** The whole call, and its callee. */
  range: Range;
  calleeRange: Range;
  positional: ArgumentValue[];
  keywords: Record<string, ArgumentValue>;
  /** `*args` / `**kwargs` in the call: which parameter gets what is only known at run time. */
  unpacked?: boolean;
}

export interface FileFacts {
  /** Absolute filesystem path. */
  file: string;
  /** Version of the text these facts were computed from (document version or disk mtime). */
  version: number;
  dags: DagFact[];
  assets: AssetFact[];
  /** Module-level string/list constants that other files may import (name -> resolved value). */
  exports: Record<string, ExportedValue>;
  imports: ImportFact[];
  syntaxErrors: SyntaxErrorFact[];
  /**
   * Errors Python raises while importing the file though it parses (a bare `@asset`, an `@asset(...)`
   * without `schedule=`): like a syntax error, the file then registers no DAG.
   */
  importErrors?: SyntaxErrorFact[];
  /** Module-level calls of imported functions that may build DAGs (the workspace index expands them). */
  factoryCalls?: FactoryCallFact[];
  /** Set when the file was not analysed (safe mode, too large, parse timeout): the reason. */
  skipped?: string;
}

export type ExportedValue =
  | { kind: 'string'; value: string; range: Range; nameRange?: Range }
  | { kind: 'strings'; value: string[]; range: Range; nameRange?: Range; items?: Located<string>[] }
  | { kind: 'asset'; assetIndex: number; range: Range }
  /** A module-level list/tuple/set whose every element is an asset defined in the same file. */
  | { kind: 'assets'; assetIndexes: number[]; range: Range; nameRange?: Range }
  | { kind: 'access_control'; range: Range; fact?: AccessControlFact; defaultArgsTags?: TagsFact }
  | { kind: 'dynamic'; range: Range; pending?: { shape: 'string' | 'strings'; parts: PendingPart[] } }
  /**
   * A module-level function that builds DAGs: its parameters in order, the values of their defaults,
   * and its DAGs read with each parameter left pending (module `<factory parameter>`).
   */
  | { kind: 'factory'; range: Range; params: { name: string; kind: 'plain' | 'keyword-only' | 'star' | 'double-star' }[]; defaults: Record<string, ArgumentValue>; dags: DagFact[] }
  /** A class whose base is Airflow's DAG; `ownInit`: it defines `__init__` / `__new__`. */
  | { kind: 'dagClass'; range: Range; ownInit: boolean };
