// Entry point of the page: render the shell, ask for persistent storage, register the service worker, start syncing.
import { render } from 'preact';
import { App } from './app/App';
import { registerServiceWorker } from './app/pwa/register';
import { db } from './data/db';
import { sameOrigin } from './sync/api';
import './app/styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();

// The sync engine loads and makes its first request once the first screen is drawn: that request waits on the
// network anyway, and its code and start-up reads would otherwise lengthen the page's first long task on a slow phone.
const startSync = () => void import('./sync/triggers').then((m) => m.startSyncTriggers({ ...sameOrigin, db: db() }));
if (typeof requestIdleCallback === 'function') requestIdleCallback(startSync, { timeout: 1000 });
else setTimeout(startSync, 100);
