// Preloaded into the `migrate-ui up` process the backfill benchmark times (`node --import THIS bin/migrate-ui.js up …`):
// it only listens. Every run event (dist/src/core/events.js, the module the CLI loads too) is noted with its time since
// the process started, and at exit the events, that moment and the process's max RSS go to MUI_PROBE_OUT as one JSON
// object. What it costs the process: one small module and a listener call per event.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const out = process.env.MUI_PROBE_OUT;
const { RunEvents } = await import(pathToFileURL(join(ROOT, 'dist/src/core/events.js')).href);
const events = [];
const emit = RunEvents.prototype.emit;
RunEvents.prototype.emit = function (event) {
  const { type, rowsDone, lastBatchMs, state, durationMs } = event;
  events.push({ type, at: performance.now(), rowsDone, lastBatchMs, state, durationMs });
  return emit.call(this, event);
};
process.on('exit', () => {
  if (out) writeFileSync(out, JSON.stringify({ events, exitAt: performance.now(), maxRssMB: process.resourceUsage().maxRSS / 1024 }));
});
