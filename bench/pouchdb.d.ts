// Types for the few PouchDB and express-pouchdb calls the sync benchmark makes; these packages ship none.
declare module 'pouchdb-core' {
  export interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
  }
  export interface PouchDatabase {
    bulkDocs(docs: object[]): Promise<{ ok?: boolean; error?: string; reason?: string }[]>;
    info(): Promise<{ doc_count: number }>;
    replicate: { from(source: PouchDatabase, opts?: { batch_size?: number }): Promise<ReplicationResult> };
    destroy(): Promise<unknown>;
  }
  export interface PouchStatic {
    new (name: string, opts?: { adapter?: string }): PouchDatabase;
    plugin(plugin: unknown): PouchStatic;
    defaults(opts: { adapter?: string }): PouchStatic;
  }
  const PouchDB: PouchStatic;
  export default PouchDB;
}

declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-idb' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}

declare module 'express-pouchdb' {
  import type { Server } from 'node:http';
  import type { PouchStatic } from 'pouchdb-core';
  interface Options {
    mode?: 'fullCouchDB' | 'minimumForPouchDB' | 'custom';
    inMemoryConfig?: boolean;
    logPath?: string;
  }
  /** An express application serving the CouchDB HTTP API over the given PouchDB. */
  export default function expressPouchDB(pouch: PouchStatic, opts?: Options): { listen(port: number, host: string, ready: () => void): Server };
}
