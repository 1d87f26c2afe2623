// Test DOM: CSS imports load empty, fake-indexeddb comes first (Dexie looks for indexedDB when it loads), then happy-dom's globals.
import 'fake-indexeddb/auto';
import { GlobalRegistrator } from '@happy-dom/global-registrator';
import { register } from 'node:module';

register('./css-hooks.mjs', import.meta.url);

const idb = { indexedDB: globalThis.indexedDB, IDBKeyRange: globalThis.IDBKeyRange };
// Node's own fetch classes stay: happy-dom's drop the cookie and set-cookie headers the in-process server needs.
const web = { fetch: globalThis.fetch, Request: globalThis.Request, Response: globalThis.Response, Headers: globalThis.Headers, FormData: globalThis.FormData };
GlobalRegistrator.register({ url: 'http://localhost:5173/', width: 360, height: 740 });
Object.assign(globalThis, idb, web);
