// pouchdb-server for the sync benchmark: express-pouchdb over in-memory PouchDB on a loopback port, in its own process as our server is.
import type { AddressInfo } from 'node:net';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import http from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';

const Pouch = PouchDB.plugin(memory).plugin(http).plugin(replication).defaults({ adapter: 'memory' });
// Its log file goes where the benchmark says (a temp folder), not into the working directory.
const app = expressPouchDB(Pouch, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: process.env.POUCH_LOG ?? 'log.txt' });
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`pouchdb-server luistert op http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
