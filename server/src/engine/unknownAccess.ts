/**
 * Why the editor cannot answer for a DAG whose dag_id is computed at run time. One text for the ADA013
 * diagnostic and the hover on that dag_id (what one says, the other says).
 */
export function dynamicDagIdMessage(reason: string): string {
  return `The dag_id is computed at run time (${reason}); the editor cannot check its access. The sync uses the DAGs deployed in the metadata database.`;
}
