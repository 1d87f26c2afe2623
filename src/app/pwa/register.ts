// Service worker registration, the "new version waiting" state, and the one-time request for persistent storage.
import type { Workbox } from 'workbox-window';

export interface PwaState {
  /** A newer service worker is installed and waits for the begeleider's go-ahead. */
  waiting: boolean;
  /** navigator.storage.persist(): true/false once known, null where the browser cannot say. */
  persisted: boolean | null;
}

const PERSIST_KEY = 'lk.persisted';

let state: PwaState = { waiting: false, persisted: storedPersisted() };
const listeners = new Set<() => void>();
let wb: Workbox | null = null;

export function getPwaState(): PwaState {
  return state;
}

export function subscribePwa(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Registration and the persistence request report here; the component tests set it directly. */
export function setPwaState(patch: Partial<PwaState>): void {
  state = { ...state, ...patch };
  for (const fn of listeners) fn();
}

function storedPersisted(): boolean | null {
  const v = typeof localStorage !== 'undefined' ? localStorage.getItem(PERSIST_KEY) : null;
  return v === 'true' ? true : v === 'false' ? false : null;
}

/** Asks once per device; later starts only read the answer, because browsers remember it and a
 * repeated prompt (Firefox) would nag the begeleider every time the app opens. */
export async function requestPersistence(askAgain = false): Promise<boolean | null> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persist) return null;
  const ask = askAgain || localStorage.getItem(PERSIST_KEY) === null;
  const persisted = ask ? await storage.persist() : await storage.persisted();
  localStorage.setItem(PERSIST_KEY, String(persisted));
  setPwaState({ persisted });
  return persisted;
}

/** Installs the waiting worker and reloads into it once it controls the page. */
export function applyUpdate(): void {
  if (!wb) return;
  wb.addEventListener('controlling', () => location.reload());
  wb.messageSkipWaiting();
}

/** Only in a production build: the dev server has no precache manifest and would cache stale modules.
 * `later` decides when (the persistence request waits with it): the first visit's worker downloads and caches the
 * whole app (46 files), which on a slow phone competes with drawing the first screen, so main.tsx waits until
 * start-up is over (web.dev's advice for registering after load). workbox-window loads in its own chunk then, off
 * the round screens' critical path. */
export function registerServiceWorker(later: (fn: () => void) => void = (fn) => fn()): void {
  later(() => {
    void requestPersistence();
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
    // Without a worker the app still runs online; the durability panel keeps telling the truth about storage.
    install().catch((e) => console.warn('Service worker niet geregistreerd', e));
  });
}

async function install(): Promise<void> {
  const { Workbox } = await import('workbox-window');
  wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => setPwaState({ waiting: true }));
  // The sync engine registers Background Sync after writes (src/sync/triggers.ts); this only tracks updates.
  const reg = await wb.register();
  if (reg?.waiting && navigator.serviceWorker.controller) setPwaState({ waiting: true });
}
