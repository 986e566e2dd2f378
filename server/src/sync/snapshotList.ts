/**
 * The snapshots a rollback can start from: those of one database in a folder, newest first, with
 * what rolling each back removes and restores (for a picker and its preview).
 */
import * as fs from 'fs';
import * as path from 'path';
import { isPendingSnapshot, readSnapshot, type Snapshot } from './snapshot';

export interface SnapshotEntry {
  file: string;
  snapshot: Snapshot;
  pending: boolean;
}

export function listSnapshots(dir: string, target: { dialect: string; label: string }): SnapshotEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: SnapshotEntry[] = [];
  for (const n of names) {
    const file = path.join(dir, n);
    try {
      const snapshot = readSnapshot(file);
      if (snapshot.dialect === target.dialect && snapshot.target === target.label) out.push({ file, snapshot, pending: isPendingSnapshot(file) });
    } catch {
      // not a snapshot of ours: not offered
    }
  }
  return out.sort((a, b) => b.snapshot.createdAt.localeCompare(a.snapshot.createdAt));
}

/** What a rollback of `s` does, as lines: grants removed (added by the sync) and restored (revoked by it). */
export function rollbackPreview(s: Snapshot, maxLines = 200): string {
  const lines: string[] = [`Rolling back plan ${s.planId} (synced ${s.createdAt}) on ${s.target}:`, ''];
  const removed = s.inserted.ab_permission_view_role;
  const restored = s.deleted.ab_permission_view_role;
  const body: string[] = [];
  for (const g of removed) body.push(`- ${g.role}  ${g.action}  ${g.resource}   (added by the sync: removed)`);
  for (const g of restored) body.push(`+ ${g.role}  ${g.action}  ${g.resource}   (revoked by the sync: restored)`);
  for (const r of s.inserted.ab_role) body.push(`- role ${r}   (created by the sync: removed if no user has it)`);
  for (const r of s.inserted.ab_view_menu) body.push(`- resource ${r}   (created by the sync: removed if unused)`);
  lines.push(...body.slice(0, maxLines));
  if (body.length > maxLines) lines.push(`… and ${body.length - maxLines} more`);
  if (!body.length) lines.push('(no rows)');
  return lines.join('\n') + '\n';
}
