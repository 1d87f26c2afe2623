// How safe the data on this phone is: persistent storage, and Safari's 7-day wipe unless on the home screen.
import { useContext, useState } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import { requestPersistence } from './register';
import { usePwa } from './usePwa';
import { needsHomeScreen } from './ios';
import { formatBytes, useStorageUse } from './Warnings';
import './pwa.css';

export { needsHomeScreen };

const dict = {
  nl: {
    title: 'Gegevens op deze telefoon',
    persistent: 'Opslag is blijvend: de browser wist de gegevens van Luisterkring niet als de telefoon vol raakt.',
    notPersistent: 'Opslag is niet blijvend: bij ruimtegebrek mag de browser gegevens wissen die nog niet gesynchroniseerd zijn. Synchroniseer na elke ronde.',
    unknown: 'Deze browser zegt niet of de opslag blijvend is. Synchroniseer na elke ronde.',
    askAgain: 'Vraag blijvende opslag aan',
    iosTitle: 'Zet Luisterkring op je beginscherm',
    iosText: 'Safari wist de gegevens van websites die je 7 dagen niet gebruikt. Op het beginscherm gebeurt dat niet. Tik op Deel en kies "Zet op beginscherm".',
    dismiss: 'Begrepen',
    usage: 'In gebruik door Luisterkring: {used} van de {quota} die de browser toestaat.',
  },
  en: {
    title: 'Data on this phone',
    persistent: 'Storage is persistent: the browser will not delete Luisterkring’s data when the phone runs out of space.',
    notPersistent: 'Storage is not persistent: when space runs low the browser may delete data that has not been synced yet. Sync after every round.',
    unknown: 'This browser does not say whether storage is persistent. Sync after every round.',
    askAgain: 'Ask for persistent storage',
    iosTitle: 'Add Luisterkring to your home screen',
    iosText: 'Safari deletes the data of websites you have not used for 7 days. On the home screen that does not happen. Tap Share and choose "Add to Home Screen".',
    dismiss: 'Got it',
    usage: 'Used by Luisterkring: {used} of the {quota} the browser allows.',
  },
};

const IOS_DISMISSED = 'lk.iosWarningDismissed';

/** The warning alone, shown on every screen until dismissed for this session. */
export function HomeScreenWarning() {
  const t = useT(dict);
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem(IOS_DISMISSED) === '1');
  if (dismissed || !needsHomeScreen()) return null;
  return (
    <section class="pwa-banner pwa-warn" aria-labelledby="lk-ios-title">
      <div>
        <strong id="lk-ios-title">{t('iosTitle')}</strong>
        <p>{t('iosText')}</p>
      </div>
      <button
        type="button"
        onClick={() => {
          sessionStorage.setItem(IOS_DISMISSED, '1');
          setDismissed(true);
        }}
      >
        {t('dismiss')}
      </button>
    </section>
  );
}

/** The full panel for the sync/settings screen. */
export function Durability() {
  const t = useT(dict);
  const { persisted } = usePwa();
  const locale = useContext(LocaleContext);
  const use = useStorageUse(null);
  return (
    <section class="card stack" aria-labelledby="lk-durability-title">
      <h2 id="lk-durability-title">{t('title')}</h2>
      <p class={persisted ? '' : 'pwa-warn-text'}>{persisted === true ? t('persistent') : persisted === false ? t('notPersistent') : t('unknown')}</p>
      {persisted === false && (
        <button type="button" onClick={() => void requestPersistence(true)}>
          {t('askAgain')}
        </button>
      )}
      {use && <p class="muted">{t('usage', { used: formatBytes(use.usage, locale), quota: formatBytes(use.quota, locale) })}</p>}
      {needsHomeScreen() && (
        <div class="pwa-warn-text">
          <strong>{t('iosTitle')}</strong>
          <p>{t('iosText')}</p>
        </div>
      )}
    </section>
  );
}
