/**
 * Requests that exist only when ADA_TEST_HOOKS=1 (protocol tests): a request that waits until it is
 * cancelled (to prove cancellation answers RequestCancelled) and one that throws (to prove a failing
 * handler answers an error and the server lives on).
 */
import { TestIndexStatsRequest, TestThrowRequest, TestWaitRequest } from '../../protocol';
import type { ServerContext } from '../context';
import { guard, throwIfCancelled } from '../handler';

export function registerTestHooks(ctx: ServerContext): void {
  if (process.env.ADA_TEST_HOOKS !== '1') return;
  ctx.connection.onRequest(TestWaitRequest.type, guard(ctx.log, TestWaitRequest.method, async (params: TestWaitRequest.Params, token): Promise<TestWaitRequest.Result> => {
    const until = Date.now() + (params?.ms ?? 10_000);
    while (Date.now() < until) {
      throwIfCancelled(token);
      await new Promise((r) => setTimeout(r, 5));
    }
    return 'done';
  }));
  // Per folder: analyses and scans so far (a change on disk analysed twice, a scan not cancelled, show here).
  ctx.connection.onRequest(TestIndexStatsRequest.type, guard(ctx.log, TestIndexStatsRequest.method, async (): Promise<TestIndexStatsRequest.Result> => {
    await ctx.workspace.settledAll();
    return (await ctx.workspace.projects()).map((p) => ({ root: p.root, files: p.table.fileCount, dags: p.table.dagCount, indexing: p.indexingState(), ...p.indexCounters() }));
  }));
  ctx.connection.onRequest(TestThrowRequest.type, guard(ctx.log, TestThrowRequest.method, (): TestThrowRequest.Result => {
    throw new Error('deliberate failure from the test hook');
  }));
}
