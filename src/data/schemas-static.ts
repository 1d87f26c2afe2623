// The service worker's version of schemas.ts: the worker is one classic script with everything inlined, where a
// dynamic import (and vite's preload wrapper around it, which reads import.meta) cannot run. vite.config.ts puts
// this file in place of schemas.ts for the worker build only.
import * as schema from '../shared/schema';

type SchemaModule = typeof import('../shared/schema');

export function schemas(): Promise<SchemaModule> {
  return Promise.resolve(schema);
}
