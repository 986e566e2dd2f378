/**
 * `access_control=`: the legacy form `{"Role": {"can_read", ...}}` and the nested form
 * `{"Role": {"DAGs": {...}, "DAG Runs": {...}}}`, written in place or through constants.
 */
import type { Node } from 'web-tree-sitter';
import type { AccessControlFact, AccessControlResourceFact, AccessControlRoleFact, Range, ValueOrigin } from '../model/facts';
import { lookupName, originOf, resolveStrings, resolveString, type ValueCtx } from './extractValues';
import { excerpt, namedKids, nodeRange, typeOf, unparen } from './syntax';

const MAX_DEPTH = 16;

export function readAccessControl(value: Node, keywordRange: Range, ctx: ValueCtx): AccessControlFact {
  const fact: AccessControlFact = { range: nodeRange(value), keywordRange, kind: 'dynamic', roles: [], dynamic: [] };
  fill(fact, value, ctx, 0, undefined);
  return fact;
}

function fill(fact: AccessControlFact, node: Node, ctx: ValueCtx, depth: number, via: ValueOrigin | undefined): void {
  const n = unparen(node);
  if (via) fact.via = via;
  if (depth > MAX_DEPTH) return void fact.dynamic.push({ range: nodeRange(n), reason: 'constant chain too deep' });
  if (typeOf(n) === 'none') {
    fact.kind = 'none';
    return;
  }
  if (typeOf(n) === 'dictionary') {
    fact.kind = 'dict';
    for (const el of namedKids(n)) {
      if (typeOf(el) === 'pair') readRole(el, fact, ctx);
      else fact.dynamic.push({ range: nodeRange(el), reason: typeOf(el) === 'dictionary_splat' ? `\`${excerpt(el)}\` is merged in at run time` : `${typeOf(el)} is not read statically` });
    }
    return;
  }
  const look = lookupName(n, ctx);
  if (look?.kind === 'constant') return fill(fact, look.def.value, ctx, depth + 1, via ?? originOf(look.def, ctx, n));
  if (look?.kind === 'import') {
    fact.import = look.ref;
    fact.dynamic.push({ range: nodeRange(n), reason: `\`${excerpt(n)}\` is imported from \`${look.ref.module}\`` });
    return;
  }
  fact.dynamic.push({ range: nodeRange(n), reason: look?.kind === 'unknown' ? look.reason : `\`${excerpt(n)}\` is computed when the file runs` });
}

function readRole(pair: Node, fact: AccessControlFact, ctx: ValueCtx): void {
  const key = pair.childForFieldName('key');
  const value = pair.childForFieldName('value');
  if (!key || !value) return;
  const role = resolveString(key, ctx);
  if (role.kind !== 'static') {
    fact.dynamic.push({ range: role.range, reason: `role name: ${role.reason}`, ...(role.pending ? { pending: role.pending } : {}) });
    return;
  }
  const entry: AccessControlRoleFact = { role: { value: role.value, range: role.range }, form: 'legacy', resources: [], range: nodeRange(pair) };
  const v = followConstants(value, ctx);
  if (typeOf(v) === 'dictionary') {
    entry.form = 'nested';
    for (const el of namedKids(v)) {
      if (typeOf(el) !== 'pair') {
        entry.resources.push({ resource: null, actions: [], dynamic: [{ range: nodeRange(el), reason: `\`${excerpt(el)}\` is merged in at run time` }] });
        continue;
      }
      const rk = el.childForFieldName('key');
      const rv = el.childForFieldName('value');
      if (!rk || !rv) continue;
      const res = resolveString(rk, ctx);
      const actions = resolveStrings(rv, ctx);
      const resource: AccessControlResourceFact = {
        resource: res.kind === 'static' ? { value: res.value, range: res.range } : null,
        actions: actions.items,
        dynamic: res.kind === 'static' ? actions.dynamic : [{ range: res.range, reason: `resource name: ${res.reason}` }, ...actions.dynamic],
      };
      entry.resources.push(resource);
    }
  } else {
    const actions = resolveStrings(value, ctx);
    entry.resources.push({ resource: null, actions: actions.items, dynamic: actions.dynamic });
  }
  fact.roles.push(entry);
}

/** Follow local constants to their value node (so `{"Role": ROLE_PERMS}` sees the dict). */
function followConstants(node: Node, ctx: ValueCtx): Node {
  let n = unparen(node);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const look = lookupName(n, ctx);
    if (look?.kind !== 'constant') return n;
    n = unparen(look.def.value);
  }
  return n;
}
