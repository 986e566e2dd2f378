/** Fixes that edit the role-mapping YAML (adding a role for a tag). Pure: they compute text edits. */
import { TextPositions } from '../config/textPositions';
import type { AccessConfig } from '../model/config';
import { tagResolverOf } from '../model/tagResolver';
import type { Fix, TextEditFact } from '../model/findings';
import type { Position } from '../model/facts';

/** Role name and permissions suggested for a new tag: `sales_edit` -> role `sales`, read+edit. */
export function suggestRoleForTag(tag: string, config: AccessConfig): { role: string; permissions: string[] } {
  // The role permission_tag_pattern's `role` group names (adding it makes the pattern grant it), else the
  // part of the tag before the pattern's match, else the tag without a _read/_edit suffix.
  const resolver = tagResolverOf(config);
  const at = resolver.patternIndex(tag);
  let base = resolver.patternRoleName(tag) ?? (at > 0 ? tag.slice(0, at) : tag.replace(/_(read|edit|write|admin)$/i, ''));
  if (!base) base = tag;
  const taken = new Set(config.roles.map((r) => r.name));
  let role = base;
  for (let i = 2; taken.has(role); i++) role = `${base}_${i}`;
  const permissions = /(edit|write|admin)$/i.test(tag) ? ['can_read', 'can_edit', 'can_delete'] : ['can_read'];
  return { role, permissions };
}

function endOfText(text: string): Position {
  const lines = text.split(/\r?\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** A YAML scalar for a tag or role name: plain when that reads back the same, else double-quoted. */
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?[0-9][0-9_.]*)$/i.test(value) ? value : JSON.stringify(value);
}

/**
 * An edit inserting `role` (granted by `tag`) at the end of the config's `roles:` map, in the map's
 * own style: a block entry after the last role, or `, role: {...}` inside a flow map (`roles: {a: {...}}`),
 * with the file's line endings.
 */
export function addRoleEdit(config: AccessConfig, configText: string, tag: string): TextEditFact {
  const { role, permissions } = suggestRoleForTag(tag, config);
  const eol = configText.includes('\r\n') ? '\r\n' : '\n';
  const last = config.roles[config.roles.length - 1];
  const name = yamlScalar(role);
  const tags = `[${yamlScalar(tag)}]`;
  const perms = `[${permissions.join(', ')}]`;
  if (last) {
    // What follows the last entry tells the map's style: `,` or `}` in a flow map.
    const positions = new TextPositions(configText);
    const end = positions.offsetAt(last.range.end) ?? configText.length;
    const rest = /^[ \t\r\n]*(,?)[ \t\r\n]*(\}?)/.exec(configText.slice(end))!;
    if (rest[1] || rest[2]) {
      const at = rest[1] ? end + configText.slice(end).indexOf(',') + 1 : end;
      const pos = positions.positionAt(at);
      return { file: config.file, range: { start: pos, end: pos }, newText: `${rest[1] ? ' ' : ', '}${name}: {tags: ${tags}, dag_permissions: ${perms}}${rest[1] && !rest[2] ? ',' : ''}` };
    }
    const indent = ' '.repeat(last.nameRange.start.character);
    const body = [`${indent}${name}:`, `${indent}  tags: ${tags}`, `${indent}  dag_permissions: ${perms}`];
    // Insert on the line after the last role entry.
    const at: Position = { line: last.range.end.line + (last.range.end.character === 0 ? 0 : 1), character: 0 };
    const lines = configText.split(/\r?\n/);
    if (at.line >= lines.length) {
      const eot = endOfText(configText);
      return { file: config.file, range: { start: eot, end: eot }, newText: (eot.character === 0 ? '' : eol) + body.join(eol) + eol };
    }
    return { file: config.file, range: { start: at, end: at }, newText: body.join(eol) + eol };
  }
  const body = [`  ${name}:`, `    tags: ${tags}`, `    dag_permissions: ${perms}`];
  const end = endOfText(configText);
  const prefix = end.character === 0 ? '' : eol;
  const hasRolesKey = /^roles:\s*(\{\s*\})?\s*$/m.test(configText);
  if (hasRolesKey) {
    // `roles: {}` or an empty `roles:`: rewrite that line.
    const lines = configText.split(/\r?\n/);
    const line = lines.findIndex((l) => /^roles:/.test(l));
    return { file: config.file, range: { start: { line, character: 0 }, end: { line, character: lines[line].length } }, newText: ['roles:', ...body].join(eol) };
  }
  return { file: config.file, range: { start: end, end }, newText: `${prefix}roles:${eol}${body.join(eol)}${eol}` };
}

export function addRoleFix(config: AccessConfig, configText: string, tag: string): Fix {
  const { role } = suggestRoleForTag(tag, config);
  return { title: `Add '${tag}' to ${baseName(config.file)} as role '${role}'`, kind: 'quickfix', edits: [addRoleEdit(config, configText, tag)] };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
