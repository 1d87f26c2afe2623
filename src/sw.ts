// The service worker: precached app shell for offline rounds; /api always goes to the network.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { db } from './data/db';
import { backgroundSync, SYNC_TAG } from './sync/engine';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<string | { url: string; revision: string | null }> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Any navigation (a home-screen launch, a reload in the circle without wifi) gets the cached shell;
// /api is left out so the server's answers are never replaced by a stale page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/] }));

// The first install takes the open page at once so it works offline without a second load; a later
// version waits until the page says the begeleider agreed (never in the middle of a round).
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

// Background Sync (Chromium): the page registers the tag after a write; this pushes the outbox once the
// connection is back, even when the app is closed. A rejected promise makes the browser retry later.
// With an app lock (PIN) the worker never holds the key: it finds the outbox sealed and resolves as 'locked'
// without sending; the open page sends it after the next unlock.
self.addEventListener('sync', (event: Event) => {
  const e = event as SyncEvent;
  if (e.tag === SYNC_TAG) e.waitUntil(backgroundSync({ db: db(), fetch: (input, init) => fetch(input, init), baseUrl: '' }));
});
