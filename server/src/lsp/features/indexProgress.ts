/**
 * Work-done progress of each folder's scan ("Indexing 3,200 / 10,000 files"), created by the server
 * (`window/workDoneProgress/create`) when the client supports it, ended when the index is complete.
 */
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { IndexingState, Project } from '../../project/project';
import type { ServerContext } from '../context';

/** At most this often a report, so a 10,000-file scan sends tens of messages, not thousands. */
const REPORT_EVERY_MS = 200;

export function progressMessage(state: IndexingState): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (state.phase === 'discovering') return `Finding DAG files (${n(state.total)} so far)`;
  if (state.phase === 'resolving') return `Resolving imports of ${n(state.total)} files`;
  return `Indexing ${n(state.done)} / ${n(state.total)} files`;
}

interface Running {
  reporter: Promise<WorkDoneProgressServerReporter | null>;
  lastReport: number;
  lastPhase: IndexingState['phase'];
}

export function registerIndexProgress(ctx: ServerContext): void {
  if (!ctx.caps.raw.window?.workDoneProgress) return;
  const running = new Map<Project, Running>();
  const multiRoot = () => (ctx.params.workspaceFolders?.length ?? 1) > 1;
  const title = (project: Project) => (multiRoot() ? `Airflow DAG Access (${project.root.split(/[\\/]/).pop()})` : 'Airflow DAG Access');

  ctx.workspace.onIndexing((project, state) => {
    let r = running.get(project);
    if (!state) {
      if (!r) return;
      running.delete(project);
      void r.reporter.then((rep) => rep?.done());
      return;
    }
    const percentage = state.phase === 'analysing' && state.total ? Math.floor((100 * state.done) / state.total) : state.phase === 'resolving' ? 100 : 0;
    if (!r) {
      const first = state;
      const reporter = ctx.connection.window
        .createWorkDoneProgress()
        .then((rep) => (rep.begin(title(project), percentage, progressMessage(first), false), rep))
        .catch((e: unknown) => (ctx.log.debug(`no work-done progress: ${String(e)}`), null));
      running.set(project, (r = { reporter, lastReport: Date.now(), lastPhase: state.phase }));
      return;
    }
    const now = Date.now();
    if (now - r.lastReport < REPORT_EVERY_MS && state.phase === r.lastPhase) return;
    r.lastReport = now;
    r.lastPhase = state.phase;
    void r.reporter.then((rep) => rep?.report(percentage, progressMessage(state)));
  });
}
