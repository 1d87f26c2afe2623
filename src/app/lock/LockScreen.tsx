// The lock screen: a PIN pad big enough for one thumb, the wait after wrong PINs, and "PIN vergeten" that wipes and starts over.
import { useEffect, useState } from 'preact/hooks';
import { db } from '../../data/db';
import { failures, unlock, unlockWithPasskey, unsyncedCount, wipeForForgottenPin } from '../../data/lock';
import { passkeyPossible } from '../../data/passkey';
import { navigate } from '../router';
import { useT } from '../i18n';

const dict = {
  nl: {
    title: 'Luisterkring is vergrendeld',
    intro: 'Voer je pincode in om verder te gaan.',
    pin: 'Pincode',
    digits: 'Cijfers',
    erase: 'Wis laatste cijfer',
    unlock: 'Ontgrendel',
    busy: 'Bezig met ontgrendelen…',
    empty: 'Voer je pincode in.',
    wrong: 'Deze pincode klopt niet.',
    wait: 'Te veel verkeerde pogingen. Probeer het over {s} seconden opnieuw.',
    forgot: 'Pincode vergeten?',
    forgotTitle: 'Pincode vergeten',
    forgotNone: 'Alles op deze telefoon is al gesynchroniseerd. Na het wissen log je opnieuw in en komt alles terug van de server.',
    forgotSome:
      '{n} wijzigingen staan alleen op deze telefoon en zijn nog niet gesynchroniseerd. Zonder je pincode zijn ze niet te lezen: ze gaan verloren. Alles wat al gesynchroniseerd is, komt terug van de server nadat je opnieuw inlogt.',
    wipe: 'Wis de gegevens op deze telefoon',
    wiping: 'Bezig met wissen…',
    cancel: 'Annuleren',
    passkey: 'Ontgrendel met toegangssleutel',
    passkeyFailed: 'Ontgrendelen met de toegangssleutel is niet gelukt. Gebruik je pincode.',
    or: 'of met je pincode',
    phraseIntro: 'Voer je wachtwoordzin in om verder te gaan.',
    phrase: 'Wachtwoordzin',
    phraseEmpty: 'Voer je wachtwoordzin in.',
    phraseWrong: 'Deze wachtwoordzin klopt niet.',
  },
  en: {
    title: 'Luisterkring is locked',
    intro: 'Enter your PIN to continue.',
    pin: 'PIN',
    digits: 'Digits',
    erase: 'Erase last digit',
    unlock: 'Unlock',
    busy: 'Unlocking…',
    empty: 'Enter your PIN.',
    wrong: 'This PIN is not right.',
    wait: 'Too many wrong attempts. Try again in {s} seconds.',
    forgot: 'Forgot your PIN?',
    forgotTitle: 'PIN forgotten',
    forgotNone: 'Everything on this phone has been synced. After wiping, log in again and everything comes back from the server.',
    forgotSome:
      '{n} changes exist only on this phone and have not been synced. Without your PIN they cannot be read: they will be lost. Everything already synced comes back from the server after you log in again.',
    wipe: 'Wipe the data on this phone',
    wiping: 'Wiping…',
    cancel: 'Cancel',
    passkey: 'Unlock with passkey',
    passkeyFailed: 'Unlocking with the passkey did not work. Use your PIN.',
    or: 'or with your PIN',
    phraseIntro: 'Enter your passphrase to continue.',
    phrase: 'Passphrase',
    phraseEmpty: 'Enter your passphrase.',
    phraseWrong: 'This passphrase is not right.',
  },
};

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function LockScreen({ passkey = false, passphrase = false }: { passkey?: boolean; passphrase?: boolean }) {
  const t = useT(dict);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now);
  const [forgot, setForgot] = useState(false);

  useEffect(() => {
    void failures(db()).then((f) => setWaitUntil(f.until));
  }, []);
  const waiting = waitUntil !== null && waitUntil > now;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || waiting) return;
    if (!pin) return setError(t(passphrase ? 'phraseEmpty' : 'empty'));
    setBusy(true);
    setError(null);
    try {
      const r = await unlock(pin, db());
      if (r.kind === 'ok') return;
      setPin('');
      setNow(Date.now());
      if (r.kind === 'wait') setWaitUntil(r.until);
      else {
        setWaitUntil(r.waitUntil);
        setError(t(passphrase ? 'phraseWrong' : 'wrong'));
      }
    } finally {
      setBusy(false);
    }
  };
  const withPasskey = async () => {
    setBusy(true);
    setError(null);
    try {
      if ((await unlockWithPasskey(db())) !== 'ok') setError(t('passkeyFailed'));
    } finally {
      setBusy(false);
    }
  };
  const press = (digit: string) => {
    setError(null);
    setPin((p) => (p.length < 8 ? p + digit : p));
  };

  if (forgot) return <Forgot onCancel={() => setForgot(false)} />;
  const seconds = waiting ? Math.ceil((waitUntil! - now) / 1000) : 0;
  return (
    <main class="lock-screen">
      <h1>{t('title')}</h1>
      <p>{t(passphrase ? 'phraseIntro' : 'intro')}</p>
      {passkey && passkeyPossible() && (
        <>
          <button type="button" class="primary big" onClick={() => void withPasskey()} disabled={busy}>
            {t('passkey')}
          </button>
          <p class="muted">{t('or')}</p>
        </>
      )}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label for="lock-pin">{t(passphrase ? 'phrase' : 'pin')}</label>
        <input
          id="lock-pin"
          class={passphrase ? undefined : 'lock-pin'}
          type="password"
          inputmode={passphrase ? 'text' : 'numeric'}
          autocomplete="off"
          maxLength={passphrase ? 200 : 8}
          value={pin}
          disabled={busy}
          onInput={(e) => {
            setError(null);
            const v = e.currentTarget.value;
            setPin(passphrase ? v : v.replace(/\D/g, '').slice(0, 8));
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error || waiting ? 'lock-error' : undefined}
        />
        <div class="pin-pad" role="group" aria-label={t('digits')} hidden={passphrase}>
          {KEYS.map((k) => (
            <button key={k} type="button" onClick={() => press(k)} disabled={busy || waiting}>
              {k}
            </button>
          ))}
          <button type="button" onClick={() => setPin((p) => p.slice(0, -1))} aria-label={t('erase')} disabled={busy || !pin}>
            ⌫
          </button>
          <button type="button" onClick={() => press('0')} disabled={busy || waiting}>
            0
          </button>
          <span />
        </div>
        {(error || waiting) && (
          <p id="lock-error" class="field-error" role="alert">
            {waiting ? t('wait', { s: seconds }) : error}
          </p>
        )}
        <button type="submit" class="primary big" disabled={busy || waiting}>
          {busy ? t('busy') : t('unlock')}
        </button>
      </form>
      <button type="button" class="lock-forgot" onClick={() => setForgot(true)}>
        {t('forgot')}
      </button>
    </main>
  );
}

function Forgot({ onCancel }: { onCancel: () => void }) {
  const t = useT(dict);
  const [count, setCount] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void unsyncedCount(db()).then(setCount);
  }, []);
  const wipe = async () => {
    setBusy(true);
    await wipeForForgottenPin(db());
    // A fresh start: a new empty database, and the sync screen to log in so the synced data comes back.
    navigate('/sync');
    location.reload();
  };
  return (
    <main class="lock-screen">
      <h1>{t('forgotTitle')}</h1>
      {count !== null && <p class={count > 0 ? 'lock-warn' : undefined}>{count > 0 ? t('forgotSome', { n: count }) : t('forgotNone')}</p>}
      <div class="stack">
        <button type="button" class="danger big" onClick={() => void wipe()} disabled={busy || count === null}>
          {busy ? t('wiping') : t('wipe')}
        </button>
        <button type="button" class="big" onClick={onCancel} disabled={busy}>
          {t('cancel')}
        </button>
      </div>
    </main>
  );
}
