// Gives memory back to the system when a burst of requests is over. V8 keeps the pages its heap
// grew into under load (measured: ~450 MiB resident with ~70 MiB live after the bench) until a
// last-resort collection, which it never runs by itself; one such collection brings the resident
// size back near the idle size. It runs only when no request has arrived for a whole period, the
// process has grown since the last one, and node was started with --expose-gc (`npm start` is).
import type http from 'node:http';
import type { Logger } from '../log.ts';

type Collect = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * Resident growth below this is not worth a full collection. Above the young generation's own
 * 32 MiB (two 16 MiB semi-spaces, `npm start`), which the first request after a collection
 * commits again: a smaller threshold would collect after every lone request.
 */
const GROWTH_BYTES = 64 * 1024 * 1024;

export function trimMemoryWhenIdle(server: http.Server, periodMs: number, log: Logger): () => void {
  const collect = (globalThis as { gc?: Collect }).gc;
  if (!collect || periodMs <= 0) return () => {};
  let arrived = 0;
  let inFlight = 0;
  let busySinceTrim = false;
  let baseline = process.memoryUsage.rss();
  const finished = () => { inFlight -= 1; };
  const onRequest = (_request: http.IncomingMessage, response: http.ServerResponse) => {
    arrived += 1;
    inFlight += 1;
    response.once('close', finished);
  };
  server.on('request', onRequest);
  const timer = setInterval(() => {
    // Idle: nothing arrived for a whole period and nothing is still being answered.
    if (arrived > 0 || inFlight > 0) { arrived = 0; busySinceTrim = true; return; }
    if (!busySinceTrim || process.memoryUsage.rss() < baseline + GROWTH_BYTES) return;
    busySinceTrim = false;
    const before = process.memoryUsage.rss();
    const started = performance.now();
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    baseline = process.memoryUsage.rss();
    log.debug('memory_trimmed', {
      rssBeforeMiB: Math.round(before / 1048576), rssAfterMiB: Math.round(baseline / 1048576),
      ms: Math.round(performance.now() - started),
    });
  }, periodMs);
  timer.unref();
  return () => { clearInterval(timer); server.off('request', onRequest); };
}
