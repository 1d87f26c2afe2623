// The cipher code (@noble/ciphers) loads beside the first screen, not in the entry chunk; the service worker, one
// classic script that cannot run a dynamic import, takes load-crypto-static.ts instead (vite.config.ts).
export const loadCrypto = () => import('./crypto');
