// Work that is not part of the first screen waits until the page has loaded and that screen has had its turn.

/** Milliseconds after the `load` event before deferred start-up work may begin. */
export const SETTLE_MS = 2000;

/** Runs `fn` once the page has loaded, SETTLE_MS have passed and the main thread is idle (or 2 s more went by).
 * Installing the service worker (it downloads and caches the whole app) and the first sync both compete with
 * the first screen for a slow phone's CPU and network; neither is needed to show that screen or to record in it. */
export function afterStartup(fn: () => void, settleMs = SETTLE_MS): void {
  const later = () => setTimeout(() => whenIdle(fn), settleMs);
  if (document.readyState === 'complete') later();
  else addEventListener('load', later, { once: true });
}

/** Runs `fn` when the main thread is idle, or after `timeoutMs` at the latest. */
export function whenIdle(fn: () => void, timeoutMs = 2000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => fn(), { timeout: timeoutMs });
  else setTimeout(fn, 0);
}
