/**
 * ADA031: under an auth manager other than FAB (file, simple, keycloak, aws) an access tag or the DAG's
 * access_control changes nothing: Airflow reads no FAB grants there (engine/authNoEffect.ts,
 * engine/fileAuthAccess.ts say why per auth manager).
 */
import type { FileRule, RuleFinding } from './rule';

/** The FAB-only rules (unmapped access tags, no custom role grant) have nothing to say under another auth manager. */
export function underFab(ctx: { config: { airflow: { authManager: string } } | null }): boolean {
  return (ctx.config?.airflow.authManager ?? 'fab') === 'fab';
}

export const noEffectUnderAuthManager: FileRule = {
  code: 'ADA031',
  scope: 'file',
  check({ ctx, facts }) {
    if (underFab(ctx)) return [];
    const out: RuleFinding[] = [];
    for (const dag of facts.dags) {
      const access = ctx.dagAccess(facts.file, dag);
      for (const c of access?.conflicts ?? []) {
        if (c.kind !== 'no_effect_auth_manager' && c.kind !== 'no_effect_file_auth') continue;
        out.push({ file: c.file ?? facts.file, range: c.range, message: c.message });
      }
    }
    return out;
  },
};
