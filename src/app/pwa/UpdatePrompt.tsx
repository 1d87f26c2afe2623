// "Nieuwe versie beschikbaar": offered only when no round is running, so an update never interrupts the circle.
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { useT } from '../i18n';
import { useRoute } from '../router';
import { lazyScreen } from '../lazy';
import { needsHomeScreen } from './ios';
import { applyUpdate } from './register';
import { usePwa } from './usePwa';
import './pwa.css';

// Only iOS browsers outside the home screen need the warning; other phones do not download it.
const HomeScreenWarning = lazyScreen(() => import('./Durability').then((m) => m.HomeScreenWarning), '');

const dict = {
  nl: { available: 'Nieuwe versie beschikbaar', update: 'Bijwerken' },
  en: { available: 'New version available', update: 'Update' },
};

/** A round left on 'bezig' for longer than this was forgotten, not running; it must not block updates forever. */
const ROUND_HOURS = 12;

export async function roundRunning(now = Date.now()): Promise<boolean> {
  const running = await db()
    .table('rounds')
    .filter((r) => !r._d && r.status === 'bezig' && (r.startedAt == null || now - r.startedAt < ROUND_HOURS * 3600_000))
    .count();
  return running > 0;
}

export function UpdatePrompt() {
  const t = useT(dict);
  const { waiting } = usePwa();
  const route = useRoute();
  const inRound = route[0] === 'ronde';
  // Only watch the rounds table while an update actually waits.
  const busy = useLive(() => (waiting && !inRound ? roundRunning() : Promise.resolve(inRound)), [waiting, inRound], true);
  return (
    <>
      {needsHomeScreen() && <HomeScreenWarning />}
      {waiting && !busy && (
        <section class="pwa-banner" role="status" aria-live="polite">
          <span>{t('available')}</span>
          <span aria-hidden="true">—</span>
          <button type="button" class="primary" onClick={applyUpdate}>
            {t('update')}
          </button>
        </section>
      )}
    </>
  );
}
