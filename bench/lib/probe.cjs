/** Preloaded (`node -r probe.cjs …`) into a measured child: on exit, writes its peak RSS and CPU time to $BENCH_PROBE_FILE as JSON. */
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes; CPU times in microseconds.
    writeFileSync(file, JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
  });
}
