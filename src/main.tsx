// Entry point of the page: render the shell, ask for persistent storage; once the first screen has had its turn,
// install the service worker and start syncing.
import { render } from 'preact';
import { App } from './app/App';
import { registerServiceWorker } from './app/pwa/register';
import { afterStartup } from './app/startup';
import { db } from './data/db';
import { checkLocalDateRule } from './shared/ids';
import './app/styles.css';

// The first render gets a task of its own instead of running inside the evaluation of every module: two shorter
// tasks leave the main thread free in between (Lighthouse counts each task's time over 50 ms as blocking).
setTimeout(() => render(<App />, document.getElementById('app')!), 0);
registerServiceWorker(afterStartup);

// The sync engine loads and makes its first request after start-up: that request waits on the network anyway,
// and its code and start-up reads would otherwise lengthen the first screen's long tasks on a slow phone.
// A sync asked for before then (the login form, the sync button) runs on its own (requestSync).
afterStartup(
  () => void Promise.all([import('./sync/triggers'), import('./sync/api')]).then(([m, api]) => m.startSyncTriggers({ ...api.sameOrigin, db: db() })),
);

// The day of a round comes from the EU clock rule (see localDate); checking it against the browser's zone data
// costs tens of milliseconds, so it waits until the app has long settled.
afterStartup(() => checkLocalDateRule(), 30_000);
