// After logging in with a one-time code: the begeleider (or coördinator) chooses their own password, as the code's hint promises.
import { useState } from 'preact/hooks';
import { db } from '../../data/db';
import { PasswordError, changePassword, type Transport } from '../../sync/api';
import { requestSync } from '../../sync/triggers';
import { useT } from '../i18n';
import { showToast } from '../toast';

/** The server's minimum (src/server/passwords.ts); checked here first so a short one needs no round trip. */
const MIN_LENGTH = 10;

const dict = {
  nl: {
    title: 'Kies je eigen wachtwoord',
    intro: 'Je bent ingelogd met een eenmalige code. Kies nu een eigen wachtwoord van minstens {min} tekens; de code werkt daarna niet meer.',
    current: 'Eenmalige code',
    next: 'Nieuw wachtwoord',
    repeat: 'Herhaal het nieuwe wachtwoord',
    save: 'Wachtwoord opslaan',
    saving: 'Bezig met opslaan…',
    saved: 'Je eigen wachtwoord is opgeslagen',
    empty: 'Vul de eenmalige code en twee keer het nieuwe wachtwoord in.',
    short: 'Het nieuwe wachtwoord moet minstens {min} tekens hebben.',
    mismatch: 'De twee nieuwe wachtwoorden zijn niet gelijk.',
    offline: 'Geen verbinding met de server. Probeer het opnieuw als je online bent.',
    failed: 'Opslaan is niet gelukt. Probeer het later opnieuw.',
  },
  en: {
    title: 'Choose your own password',
    intro: 'You logged in with a one-time code. Choose your own password of at least {min} characters now; the code stops working afterwards.',
    current: 'One-time code',
    next: 'New password',
    repeat: 'Repeat the new password',
    save: 'Save password',
    saving: 'Saving…',
    saved: 'Your own password has been saved',
    empty: 'Fill in the one-time code and the new password twice.',
    short: 'The new password needs at least {min} characters.',
    mismatch: 'The two new passwords are not the same.',
    offline: 'No connection to the server. Try again when you are online.',
    failed: 'Saving did not work. Try again later.',
  },
};

export function PasswordChange({ transport }: { transport: Transport }) {
  const t = useT(dict);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    // Nothing typed is cleared on a refusal: only the message changes.
    if (!current || !next || !repeat) return setError(t('empty'));
    if (next.length < MIN_LENGTH) return setError(t('short', { min: MIN_LENGTH }));
    if (next !== repeat) return setError(t('mismatch'));
    setError(null);
    setBusy(true);
    try {
      await changePassword(transport, db(), current, next);
      showToast('info', t('saved'));
      // The server held syncing back until now: what waited goes out at once.
      void requestSync('login', { ...transport, db: db() });
    } catch (err) {
      setError(err instanceof PasswordError ? (err.reason ?? (err.status === null ? t('offline') : t('failed'))) : t('failed'));
    } finally {
      setBusy(false);
    }
  };
  const invalid = error ? { 'aria-invalid': true as const, 'aria-describedby': 'pw-error' } : {};
  return (
    <form class="stack sync-password" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="pw-title">
      <h3 id="pw-title">{t('title')}</h3>
      <p>{t('intro', { min: MIN_LENGTH })}</p>
      <label for="pw-current">{t('current')}</label>
      <input id="pw-current" type="password" autocomplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} {...invalid} />
      <label for="pw-next">{t('next')}</label>
      <input id="pw-next" type="password" autocomplete="new-password" value={next} onInput={(e) => setNext(e.currentTarget.value)} {...invalid} />
      <label for="pw-repeat">{t('repeat')}</label>
      <input id="pw-repeat" type="password" autocomplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} {...invalid} />
      {error && (
        <p id="pw-error" class="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary big" disabled={busy}>
        {busy ? t('saving') : t('save')}
      </button>
    </form>
  );
}
