// Placeholder until the PWA helper lands.
export function registerServiceWorker(): void {}
