// The service worker's load-crypto.ts: the same module, imported statically (see vite.config.ts).
import * as crypto from './crypto';

export const loadCrypto = async () => crypto;
