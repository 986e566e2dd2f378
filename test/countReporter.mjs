// node --test reporter used by test/run.mjs: one JSON line per finished test or suite, so the summary
// can count what node's own summary leaves out (a skipped describe() and the tests it never ran).
export default async function* countReporter(source) {
  for await (const e of source) {
    if (e.type !== 'test:pass' && e.type !== 'test:fail') continue;
    const d = e.data;
    yield `${JSON.stringify({
      failed: e.type === 'test:fail',
      name: d.name,
      file: d.file ?? null,
      suite: d.details?.type === 'suite',
      skip: d.skip === undefined ? null : d.skip === true ? '' : String(d.skip),
      failureType: d.details?.error?.failureType ?? null,
    })}\n`;
  }
}
