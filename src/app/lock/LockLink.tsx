// The way to the app lock settings from the sync screen, where this phone's account and data are looked after.
import { useT } from '../i18n';
import { useLockState } from './LockGate';

const dict = {
  nl: { title: 'App-vergrendeling', off: 'Scherm de app af met een pincode op een gedeelde of verloren telefoon.', on: 'De app is afgeschermd met een pincode.', open: 'App-vergrendeling instellen' },
  en: { title: 'App lock', off: 'Shield the app with a PIN on a shared or lost phone.', on: 'The app is shielded with a PIN.', open: 'Set up the app lock' },
};

export function LockLink() {
  const t = useT(dict);
  const { status } = useLockState();
  return (
    <section class="card stack" aria-labelledby="lock-link-title">
      <h2 id="lock-link-title">{t('title')}</h2>
      <p class="muted">{status === 'unlocked' ? t('on') : t('off')}</p>
      <a class="btn big" href="#/vergrendeling">
        {t('open')}
      </a>
    </section>
  );
}
