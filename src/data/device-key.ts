// The phone's data key while no PIN is set. It must not live in IndexedDB: Chromium's LevelDB keeps old versions of a
// row in its log and tables long after the row is rewritten, so a key stored there would still open everything after
// a PIN is set. A Cache Storage entry is a file of its own that Chromium unlinks when the entry is deleted; setting
// the PIN wraps the key and deletes that entry, and what lingers in LevelDB is only ciphertext.

/** Where the plain data key of a database is kept while no PIN is set. */
export interface PlainKeyStore {
  get(dbName: string): Promise<Uint8Array | null>;
  put(dbName: string, key: Uint8Array): Promise<void>;
  delete(dbName: string): Promise<void>;
}

const CACHE = 'lk-device-key';
const KEY_BYTES = 32;
const entry = (dbName: string) => `/__lk/device-key/${encodeURIComponent(dbName)}`;

/** Cache Storage: the same in the page and the service worker, cleared only together with the site's IndexedDB. */
const cacheStore: PlainKeyStore = {
  async get(dbName) {
    const res = await (await caches.open(CACHE)).match(entry(dbName));
    if (!res) return null;
    const key = new Uint8Array(await res.arrayBuffer());
    // Anything but 32 bytes is not a key this app wrote: treat it as absent rather than seal with it.
    return key.length === KEY_BYTES ? key : null;
  },
  async put(dbName, key) {
    await (await caches.open(CACHE)).put(entry(dbName), new Response(key as BufferSource, { headers: { 'content-type': 'application/octet-stream' } }));
  },
  async delete(dbName) {
    await (await caches.open(CACHE)).delete(entry(dbName));
  },
};

// Insecure origins and Node have no Cache Storage: there the data stays unsealed until a PIN is set, as before.
let store: PlainKeyStore | null = typeof caches !== 'undefined' ? cacheStore : null;

export function plainKeyStore(): PlainKeyStore | null {
  return store;
}

/** Tests in Node, which has no Cache Storage, hand in a store of their own. */
export function usePlainKeyStore(next: PlainKeyStore | null): void {
  store = next;
}

const pending = new Map<string, Promise<Uint8Array>>();

/** The database's plain data key, created on first use. A Web Lock makes the page, a second tab and the service
 * worker agree on one key: two keys made at once would leave rows sealed under the one that was overwritten. */
export function plainKeyFor(dbName: string, s: PlainKeyStore, create: () => Uint8Array): Promise<Uint8Array> {
  const run = async () => {
    const have = await s.get(dbName);
    if (have) return have;
    const key = create();
    await s.put(dbName, key);
    return key;
  };
  const locks = (globalThis.navigator as { locks?: { request(name: string, fn: () => Promise<Uint8Array>): Promise<Uint8Array> } } | undefined)?.locks;
  if (locks) return locks.request(`lk-device-key:${dbName}`, run);
  let p = pending.get(dbName);
  if (!p) {
    p = run().finally(() => pending.delete(dbName));
    pending.set(dbName, p);
  }
  return p;
}
