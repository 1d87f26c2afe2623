// Entry point of the page: render the shell, ask for persistent storage, register the service worker.
import { render } from 'preact';
import { App } from './app/App';
import { registerServiceWorker } from './app/pwa/register';
import './app/styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
