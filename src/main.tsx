// Entry point of the page: render the shell, ask for persistent storage, register the service worker, start syncing.
import { render } from 'preact';
import { App } from './app/App';
import { registerServiceWorker } from './app/pwa/register';
import { db } from './data/db';
import { sameOrigin } from './sync/api';
import { startSyncTriggers } from './sync/triggers';
import './app/styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
startSyncTriggers({ ...sameOrigin, db: db() });
