// node:test reporter: after the run, how many tests were skipped and why (grouped by reason), so CI logs show what
// did not run — e.g. tests that need ../shared/data on a machine without it.
import { relative } from 'node:path';

export default async function* skipReport(source) {
  const reasons = new Map();
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.skip === undefined) continue;
    const reason = typeof event.data.skip === 'string' && event.data.skip ? event.data.skip : '(no reason given)';
    const where = event.data.file ? relative(process.cwd(), event.data.file) : '';
    reasons.set(reason, [...(reasons.get(reason) ?? []), `${where}: ${event.data.name}`]);
  }
  const count = [...reasons.values()].reduce((sum, tests) => sum + tests.length, 0);
  if (count === 0) {
    yield '\nskipped: none\n';
    return;
  }
  const lines = [`\nskipped: ${count} test${count === 1 ? '' : 's'}`];
  for (const [reason, tests] of reasons) {
    lines.push(`  ${tests.length} × ${reason}`);
    for (const test of tests) lines.push(`      ${test}`);
  }
  yield `${lines.join('\n')}\n`;
}
