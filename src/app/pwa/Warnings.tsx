// Calm, non-blocking warnings about data that exists only on this phone: storage nearly full, or a week without syncing.
import { useContext, useEffect, useState } from 'preact/hooks';
import { db } from '../../data/db';
import { sameOrigin, type Transport } from '../../sync/api';
import { useSyncStatus, type SyncStatus } from '../../sync/status';
import { LocaleContext, numberFormat, useT, type Locale } from '../i18n';
import { duration } from '../sync/format';
import { usePwa } from './usePwa';
import './pwa.css';

const dict = {
  nl: {
    staleTitle: 'Al {d} niet gesynchroniseerd',
    staleOne: '1 wijziging staat alleen op deze telefoon.',
    staleMany: '{n} wijzigingen staan alleen op deze telefoon.',
    staleSafari: 'Safari kan de gegevens wissen van een website die een week niet gebruikt is. Synchroniseer zodra je verbinding hebt, of sla een back-up op en geef die aan je coördinator.',
    fullTitle: 'Opslag bijna vol',
    fullText: 'Er is nog {free} vrij voor Luisterkring ({pct} in gebruik). Raakt de opslag vol, dan kan de browser gegevens wissen die nog niet gesynchroniseerd zijn. Synchroniseer, en maak ruimte vrij op de telefoon (foto’s, video’s, apps).',
    notPersistent: 'De browser heeft geen blijvende opslag toegestaan.',
    syncNow: 'Nu synchroniseren',
    syncing: 'Bezig…',
    loginToSync: 'Inloggen om te synchroniseren',
    saveBackup: 'Back-up opslaan',
  },
  en: {
    staleTitle: 'Not synced for {d}',
    staleOne: '1 change exists only on this phone.',
    staleMany: '{n} changes exist only on this phone.',
    staleSafari: 'Safari may delete the data of a website that has not been used for a week. Sync as soon as you have a connection, or save a backup and give it to your coordinator.',
    fullTitle: 'Storage nearly full',
    fullText: '{free} is left for Luisterkring ({pct} in use). When storage runs out, the browser may delete data that has not been synced yet. Sync, and free up space on the phone (photos, videos, apps).',
    notPersistent: 'The browser has not granted persistent storage.',
    syncNow: 'Sync now',
    syncing: 'Syncing…',
    loginToSync: 'Log in to sync',
    saveBackup: 'Save backup',
  },
};

/** Safari's eviction clock for sites without a home-screen icon. */
export const STALE_MS = 7 * 24 * 3600_000;
export const FULL_RATIO = 0.8;
export const MIN_FREE_BYTES = 50 * 1024 * 1024;

export interface StorageUse {
  usage: number;
  quota: number;
}

/** Nearly full: four fifths used, or less than 50 MB left, whichever comes first. Unknown is not full. */
export function storageNearlyFull(e: StorageUse | null): boolean {
  if (!e || !(e.quota > 0)) return false;
  return e.usage / e.quota >= FULL_RATIO || e.quota - e.usage < MIN_FREE_BYTES;
}

/** How long changes have waited without a sync, when that is a week or more; else null. A phone that last synced
 * long ago and one whose oldest change never got out (held, refused for now) are both at risk. */
export function staleFor(s: Pick<SyncStatus, 'waiting' | 'lastSyncedAt' | 'oldestWaitingAt'>, now: number): number | null {
  if (s.waiting === 0) return null;
  const ages = [s.lastSyncedAt, s.oldestWaitingAt].filter((x): x is number => x !== null).map((x) => now - x);
  const age = Math.max(0, ...ages);
  return age >= STALE_MS ? age : null;
}

export function formatBytes(n: number, locale: Locale): string {
  const fmt = numberFormat(locale, { maximumFractionDigits: 1 });
  const mb = n / (1024 * 1024);
  return mb >= 1024 ? `${fmt.format(mb / 1024)} GB` : `${fmt.format(mb)} MB`;
}

/** navigator.storage.estimate(), read again whenever the number of waiting changes moves. */
export function useStorageUse(refresh: unknown): StorageUse | null {
  const [use, setUse] = useState<StorageUse | null>(null);
  useEffect(() => {
    let live = true;
    const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
    storage
      ?.estimate?.()
      .then((e) => {
        if (live && typeof e.usage === 'number' && typeof e.quota === 'number') setUse({ usage: e.usage, quota: e.quota });
      })
      .catch(() => {
        // No estimate (private mode in some browsers): no warning rather than a wrong one.
      });
    return () => {
      live = false;
    };
  }, [refresh]);
  return use;
}

/** Shown on the home screen and the sync screen; renders nothing while all is well. */
export function DurabilityWarnings({ transport = sameOrigin, now = Date.now }: { transport?: Transport; now?: () => number }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const status = useSyncStatus();
  const { persisted } = usePwa();
  const use = useStorageUse(status.waiting);
  const [busy, setBusy] = useState(false);
  if (!status.loaded) return null;
  const stale = staleFor(status, now());
  const full = storageNearlyFull(use) ? use : null;
  if (stale === null && !full) return null;
  const canSync = status.user !== null && status.state !== 'needs-login';
  const syncNow = async () => {
    setBusy(true);
    try {
      // The sync engine loads on this tap, not with the home screen (it starts on its own after start-up).
      const { requestSync } = await import('../../sync/triggers');
      await requestSync('manual', { ...transport, db: db() });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card stack pwa-warning" aria-labelledby="lk-durability-warning">
      {stale !== null && (
        <div>
          <h2 id="lk-durability-warning">{t('staleTitle', { d: duration(stale, locale) })}</h2>
          <p>
            {status.waiting === 1 ? t('staleOne') : t('staleMany', { n: status.waiting })} {t('staleSafari')}
          </p>
        </div>
      )}
      {full && (
        <div>
          {stale === null ? <h2 id="lk-durability-warning">{t('fullTitle')}</h2> : <h3>{t('fullTitle')}</h3>}
          <p>
            {t('fullText', {
              free: formatBytes(Math.max(0, full.quota - full.usage), locale),
              pct: numberFormat(locale, { style: 'percent' }).format(full.usage / full.quota),
            })}
          </p>
        </div>
      )}
      {persisted === false && <p class="muted">{t('notPersistent')}</p>}
      {status.waiting > 0 && (
        <div class="row pwa-warning-actions">
          {canSync ? (
            <button type="button" class="primary" onClick={() => void syncNow()} disabled={busy || status.state === 'syncing'}>
              {busy || status.state === 'syncing' ? t('syncing') : t('syncNow')}
            </button>
          ) : (
            <a class="btn primary" href="#/sync">
              {t('loginToSync')}
            </a>
          )}
          <a class="btn" href="#/sync/backup">
            {t('saveBackup')}
          </a>
        </div>
      )}
    </section>
  );
}
