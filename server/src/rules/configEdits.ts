/** Fixes that edit the role-mapping YAML (adding a role for a tag). Pure: they compute text edits. */
import type { AccessConfig } from '../model/config';
import type { Fix, TextEditFact } from '../model/findings';
import type { Position } from '../model/facts';

/** Role name and permissions suggested for a new tag: `sales_edit` -> role `sales`, read+edit. */
export function suggestRoleForTag(tag: string, config: AccessConfig): { role: string; permissions: string[] } {
  const m = config.permissionTagPattern ? config.permissionTagPattern.regex.exec(tag) : null;
  let base = m && m.index > 0 ? tag.slice(0, m.index) : tag.replace(/_(read|edit|write|admin)$/i, '');
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

/** An edit inserting `role` (granted by `tag`) at the end of the config's `roles:` map. */
export function addRoleEdit(config: AccessConfig, configText: string, tag: string): TextEditFact {
  const { role, permissions } = suggestRoleForTag(tag, config);
  const last = config.roles[config.roles.length - 1];
  const indent = last ? ' '.repeat(last.nameRange.start.character) : '  ';
  const body = [`${indent}${role}:`, `${indent}  tags: [${tag}]`, `${indent}  dag_permissions: [${permissions.join(', ')}]`];
  if (last) {
    // Insert on the line after the last role entry.
    const at: Position = { line: last.range.end.line + (last.range.end.character === 0 ? 0 : 1), character: 0 };
    const lines = configText.split(/\r?\n/);
    if (at.line >= lines.length) {
      const end = endOfText(configText);
      return { file: config.file, range: { start: end, end }, newText: (end.character === 0 ? '' : '\n') + body.join('\n') + '\n' };
    }
    return { file: config.file, range: { start: at, end: at }, newText: body.join('\n') + '\n' };
  }
  const end = endOfText(configText);
  const prefix = end.character === 0 ? '' : '\n';
  const hasRolesKey = /^roles:\s*(\{\s*\})?\s*$/m.test(configText);
  if (hasRolesKey) {
    // `roles: {}` or an empty `roles:`: rewrite that line.
    const lines = configText.split(/\r?\n/);
    const line = lines.findIndex((l) => /^roles:/.test(l));
    return { file: config.file, range: { start: { line, character: 0 }, end: { line, character: lines[line].length } }, newText: ['roles:', ...body].join('\n') };
  }
  return { file: config.file, range: { start: end, end }, newText: `${prefix}roles:\n${body.join('\n')}\n` };
}

export function addRoleFix(config: AccessConfig, configText: string, tag: string): Fix {
  const { role } = suggestRoleForTag(tag, config);
  return { title: `Add '${tag}' to ${baseName(config.file)} as role '${role}'`, kind: 'quickfix', edits: [addRoleEdit(config, configText, tag)] };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
