// Preloaded into the CLI and its training host (NODE_OPTIONS=--require): appends each process's peak RSS when it ends.
// The host is stopped with SIGTERM, which skips 'exit' handlers unless the signal is handled.
const { appendFileSync } = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  let written = false;
  const record = () => {
    if (written) return;
    written = true;
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, script: process.argv[1], maxRssKb: process.resourceUsage().maxRSS })}\n`);
  };
  process.on('exit', record);
  process.once('SIGTERM', () => {
    record();
    process.exit(143);
  });
}
