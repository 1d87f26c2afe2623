// Work that is not part of the first screen waits until the page has loaded and that screen has had its turn.

/** Milliseconds after the `load` event before deferred start-up work may begin. */
export const SETTLE_MS = 2000;

/** Runs `fn` once the page has loaded, SETTLE_MS have passed and the main thread is idle (or 2 s more went by).
 * Installing the service worker (it downloads and caches the whole app) and the first sync both compete with
 * the first screen for a slow phone's CPU and network; neither is needed to show that screen or to record in it. */
export function afterStartup(fn: () => void, settleMs = SETTLE_MS): void {
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => fn(), { timeout: 2000 }) : fn());
  const later = () => setTimeout(idle, settleMs);
  if (document.readyState === 'complete') later();
  else addEventListener('load', later, { once: true });
}
