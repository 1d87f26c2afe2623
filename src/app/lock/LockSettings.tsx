// #/vergrendeling: turn the app lock on (PIN twice), lock now, choose the idle time, change or remove the PIN.
import { useState } from 'preact/hooks';
import { db } from '../../data/db';
import { IDLE_CHOICES, PASSPHRASE_MIN, addPasskey, changePin, removePasskey, removePin, secretKind, setIdleMinutes, setPin } from '../../data/lock';
import { lock, type SecretKind } from '../../data/lock-state';
import { passkeyPossible } from '../../data/passkey';
import { useT, type T } from '../i18n';
import { showToast } from '../toast';
import { useLockState } from './LockGate';
import './lock.css';

const dict = {
  nl: {
    title: 'App-vergrendeling',
    intro:
      'Namen, notities, verhalen, wie er bij welke ronde was en wat er in rondes en evaluaties is ingevuld, worden altijd versleuteld op deze telefoon bewaard. Met een vergrendeling kan alleen wie de toegangssleutel, wachtwoordzin of pincode heeft ze openen, ook op een gedeelde of verloren telefoon.',
    strength:
      'Met een gekopieerde telefoon kan iemand onbeperkt blijven raden: alle pincodes van 6 cijfers zijn met één videokaart binnen enkele minuten geprobeerd. Een wachtwoordzin van vier willekeurige woorden houdt dat duizenden jaren tegen; een toegangssleutel valt niet te raden.',
    passkeyFirst:
      'Deze telefoon kan ontgrendelen met een toegangssleutel (vingerafdruk, gezicht of schermvergrendeling): dat is het veiligst. Stel eerst een pincode of wachtwoordzin in als reserve en voeg daarna de toegangssleutel toe.',
    kind: 'Ontgrendelen met',
    kindPin: 'Pincode (6 tot 8 cijfers)',
    kindPhrase: `Wachtwoordzin (minstens ${PASSPHRASE_MIN} tekens)`,
    newPhrase: `Nieuwe wachtwoordzin (minstens ${PASSPHRASE_MIN} tekens, bijvoorbeeld vier woorden)`,
    repeatPhrase: 'Herhaal de wachtwoordzin',
    currentPhrase: 'Huidige wachtwoordzin',
    badPhrase: `De wachtwoordzin moet minstens ${PASSPHRASE_MIN} tekens hebben, en niet alleen cijfers.`,
    syncNote: 'Met een pincode synchroniseert de app alleen als hij ontgrendeld is; wat wacht, gaat mee na het ontgrendelen.',
    forgotNote: 'Pincode vergeten? Dan wis je de gegevens op deze telefoon; wat al gesynchroniseerd is, komt terug van de server.',
    newPin: 'Nieuwe pincode (6 tot 8 cijfers)',
    repeat: 'Herhaal de pincode',
    current: 'Huidige pincode',
    set: 'Pincode instellen',
    setPhrase: 'Wachtwoordzin instellen',
    setting: 'Bezig met versleutelen…',
    on: 'App-vergrendeling staat aan.',
    lockNow: 'Vergrendel nu',
    idle: 'Vergrendel na zoveel minuten zonder gebruik',
    minutes: '{n} minuten',
    minute: '1 minuut',
    timerNote: 'Het timerscherm vergrendelt niet vanzelf: het toont geen namen of tekst en moet in beeld blijven.',
    change: 'Pincode wijzigen',
    changed: 'De pincode is gewijzigd.',
    remove: 'Vergrendeling uitzetten',
    removed: 'App-vergrendeling staat uit; de gegevens blijven versleuteld, maar deze telefoon opent ze zonder pincode.',
    busy: 'Bezig…',
    badPin: 'De pincode moet uit 6 tot 8 cijfers bestaan.',
    mismatch: 'De twee pincodes zijn niet gelijk.',
    wrong: 'De huidige pincode klopt niet.',
    failed: 'Dat is niet gelukt: {reason}',
    passkeyTitle: 'Toegangssleutel',
    passkeyIntro: 'Ontgrendel met je vingerafdruk, gezicht of schermvergrendeling in plaats van de pincode. De pincode blijft werken.',
    passkeyOn: 'Ontgrendelen met een toegangssleutel staat aan.',
    passkeyAdd: 'Toegangssleutel toevoegen',
    passkeyAdded: 'Je kunt nu ontgrendelen met je toegangssleutel.',
    passkeyRemove: 'Toegangssleutel niet meer gebruiken',
    unsupported: 'Deze telefoon of browser kan geen toegangssleutel gebruiken om te ontgrendelen.',
    cancelled: 'Er is geen toegangssleutel gemaakt.',
  },
  en: {
    title: 'App lock',
    intro:
      'Names, notes, stories, who came to which round and what was filled in for rounds and evaluations are always stored encrypted on this phone. With a lock only whoever has the passkey, passphrase or PIN can open them, also on a shared or lost phone.',
    strength:
      'With a copied phone someone can keep guessing: one graphics card tries every 6-digit PIN within minutes. A passphrase of four random words holds out for thousands of years; a passkey cannot be guessed.',
    passkeyFirst:
      'This phone can unlock with a passkey (fingerprint, face or screen lock): the safest choice. Set a PIN or passphrase first as the way back in, then add the passkey.',
    kind: 'Unlock with',
    kindPin: 'PIN (6 to 8 digits)',
    kindPhrase: `Passphrase (at least ${PASSPHRASE_MIN} characters)`,
    newPhrase: `New passphrase (at least ${PASSPHRASE_MIN} characters, say four words)`,
    repeatPhrase: 'Repeat the passphrase',
    currentPhrase: 'Current passphrase',
    badPhrase: `The passphrase needs at least ${PASSPHRASE_MIN} characters, and not only digits.`,
    syncNote: 'With a PIN the app only syncs while unlocked; whatever waits goes out after unlocking.',
    forgotNote: 'Forgot the PIN? Then you wipe the data on this phone; whatever was synced comes back from the server.',
    newPin: 'New PIN (6 to 8 digits)',
    repeat: 'Repeat the PIN',
    current: 'Current PIN',
    set: 'Set PIN',
    setPhrase: 'Set passphrase',
    setting: 'Encrypting…',
    on: 'App lock is on.',
    lockNow: 'Lock now',
    idle: 'Lock after this many minutes without use',
    minutes: '{n} minutes',
    minute: '1 minute',
    timerNote: 'The timer screen does not lock by itself: it shows no names or text and has to stay in view.',
    change: 'Change PIN',
    changed: 'The PIN has been changed.',
    remove: 'Turn the lock off',
    removed: 'App lock is off; the data stays encrypted, but this phone opens it without a PIN.',
    busy: 'Working…',
    badPin: 'The PIN must be 6 to 8 digits.',
    mismatch: 'The two PINs are not the same.',
    wrong: 'The current PIN is not right.',
    failed: 'That did not work: {reason}',
    passkeyTitle: 'Passkey',
    passkeyIntro: 'Unlock with your fingerprint, face or screen lock instead of the PIN. The PIN keeps working.',
    passkeyOn: 'Unlocking with a passkey is on.',
    passkeyAdd: 'Add passkey',
    passkeyAdded: 'You can now unlock with your passkey.',
    passkeyRemove: 'Stop using the passkey',
    unsupported: 'This phone or browser cannot use a passkey to unlock.',
    cancelled: 'No passkey was made.',
  },
};
type K = keyof typeof dict.nl;

function PinInput(props: { id: string; label: string; value: string; onInput: (v: string) => void; errorId: string | null; autocomplete: string; kind?: SecretKind }) {
  const phrase = props.kind === 'passphrase';
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        inputmode={phrase ? 'text' : 'numeric'}
        autocomplete={props.autocomplete}
        maxLength={phrase ? 200 : 8}
        value={props.value}
        onInput={(e) => props.onInput(phrase ? e.currentTarget.value : e.currentTarget.value.replace(/\D/g, '').slice(0, 8))}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId ?? undefined}
      />
    </>
  );
}

/** PIN or passphrase for a new secret. */
function KindChoice({ t, name, kind, onChange }: { t: T<K>; name: string; kind: SecretKind; onChange: (k: SecretKind) => void }) {
  return (
    <fieldset class="lock-kind">
      <legend>{t('kind')}</legend>
      {(['pin', 'passphrase'] as const).map((k) => (
        <label key={k}>
          <input type="radio" name={name} checked={kind === k} onChange={() => onChange(k)} /> {k === 'pin' ? t('kindPin') : t('kindPhrase')}
        </label>
      ))}
    </fieldset>
  );
}

function Problem({ id, text }: { id: string; text: string | null }) {
  return text ? (
    <p id={id} class="field-error" role="alert">
      {text}
    </p>
  ) : null;
}

/** One PIN form: checks, runs, and keeps what was typed when it fails. */
function usePinForm(t: T<K>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (check: () => K | null, action: () => Promise<K | null>) => {
    const problem = check();
    setError(problem ? t(problem) : null);
    if (problem) return false;
    setBusy(true);
    try {
      const refused = await action();
      setError(refused ? t(refused) : null);
      return !refused;
    } catch (e) {
      setError(t('failed', { reason: (e as Error).message }));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

export function LockSettings() {
  const t = useT(dict);
  const { status, idleMinutes, passkey, kind } = useLockState();
  return (
    <div class="lock-settings">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {status === 'none' && passkeyPossible() && <p class="lock-warn">{t('passkeyFirst')}</p>}
      {status === 'none' && <SetPin t={t} />}
      {status === 'unlocked' && (
        <>
          <p class="lock-warn">{t('on')}</p>
          <button type="button" class="primary big" onClick={() => lock(db())}>
            {t('lockNow')}
          </button>
          {passkeyPossible() && <Passkey t={t} on={passkey} kind={kind} />}
          <label for="lock-idle">{t('idle')}</label>
          <select id="lock-idle" value={String(idleMinutes)} onChange={(e) => void setIdleMinutes(Number(e.currentTarget.value), db())}>
            {IDLE_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {n === 1 ? t('minute') : t('minutes', { n })}
              </option>
            ))}
          </select>
          <p class="muted">{t('timerNote')}</p>
          <ChangePin t={t} kind={kind} />
          <RemovePin t={t} kind={kind} />
        </>
      )}
      <p class="muted">{t('strength')}</p>
      <p class="muted">{t('syncNote')}</p>
      <p class="muted">{t('forgotNote')}</p>
    </div>
  );
}

/** What is wrong with a new PIN or passphrase and its repetition, the same for setting and for changing it. */
const newPinProblem = (kind: SecretKind, pin: string, again: string): K | null =>
  secretKind(pin) !== kind ? (kind === 'pin' ? 'badPin' : 'badPhrase') : pin !== again ? 'mismatch' : null;

function SetPin({ t }: { t: T<K> }) {
  const [kind, setKind] = useState<SecretKind>('pin');
  const [pin, setPinValue] = useState('');
  const [again, setAgain] = useState('');
  const form = usePinForm(t);
  const choose = (k: SecretKind) => {
    setKind(k);
    setPinValue('');
    setAgain('');
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await form.run(
      () => newPinProblem(kind, pin, again),
      async () => {
        await setPin(pin, db());
        return null;
      },
    );
    if (ok) showToast('info', t('on'));
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <KindChoice t={t} name="lock-kind" kind={kind} onChange={choose} />
      <PinInput id="lock-new" kind={kind} label={kind === 'pin' ? t('newPin') : t('newPhrase')} value={pin} onInput={setPinValue} errorId={form.error ? 'lock-repeat-error' : null} autocomplete="new-password" />
      <PinInput id="lock-repeat" kind={kind} label={kind === 'pin' ? t('repeat') : t('repeatPhrase')} value={again} onInput={setAgain} errorId={form.error ? 'lock-repeat-error' : null} autocomplete="new-password" />
      <Problem id="lock-repeat-error" text={form.error} />
      <button type="submit" class="primary big" disabled={form.busy}>
        {form.busy ? t('setting') : t(kind === 'pin' ? 'set' : 'setPhrase')}
      </button>
    </form>
  );
}

function ChangePin({ t, kind: currentKind }: { t: T<K>; kind: SecretKind }) {
  const [kind, setKind] = useState<SecretKind>(currentKind);
  const [current, setCurrent] = useState('');
  const [pin, setPinValue] = useState('');
  const [again, setAgain] = useState('');
  const form = usePinForm(t);
  const choose = (k: SecretKind) => {
    setKind(k);
    setPinValue('');
    setAgain('');
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await form.run(
      () => newPinProblem(kind, pin, again),
      async () => ((await changePin(current, pin, db())) ? null : 'wrong'),
    );
    if (ok) {
      setCurrent('');
      setPinValue('');
      setAgain('');
      showToast('info', t('changed'));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('change')}</h2>
      <PinInput id="lock-change-current" kind={currentKind} label={currentKind === 'pin' ? t('current') : t('currentPhrase')} value={current} onInput={setCurrent} errorId={form.error ? 'lock-change-repeat-error' : null} autocomplete="current-password" />
      <KindChoice t={t} name="lock-change-kind" kind={kind} onChange={choose} />
      <PinInput id="lock-change-new" kind={kind} label={kind === 'pin' ? t('newPin') : t('newPhrase')} value={pin} onInput={setPinValue} errorId={form.error ? 'lock-change-repeat-error' : null} autocomplete="new-password" />
      <PinInput id="lock-change-repeat" kind={kind} label={kind === 'pin' ? t('repeat') : t('repeatPhrase')} value={again} onInput={setAgain} errorId={form.error ? 'lock-change-repeat-error' : null} autocomplete="new-password" />
      <Problem id="lock-change-repeat-error" text={form.error} />
      <button type="submit" class="big" disabled={form.busy}>
        {form.busy ? t('busy') : t('change')}
      </button>
    </form>
  );
}

function Passkey({ t, on, kind }: { t: T<K>; on: boolean; kind: SecretKind }) {
  const [current, setCurrent] = useState('');
  const form = usePinForm(t);
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await form.run(
      () => null,
      async () => {
        const r = await addPasskey(current, db());
        return r === 'ok' ? null : r;
      },
    );
    if (ok) {
      setCurrent('');
      showToast('info', t('passkeyAdded'));
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('passkeyTitle')}</h2>
      {on ? (
        <>
          <p>{t('passkeyOn')}</p>
          <button type="button" class="big" onClick={() => void removePasskey(db())}>
            {t('passkeyRemove')}
          </button>
        </>
      ) : (
        <>
          <p class="muted">{t('passkeyIntro')}</p>
          <PinInput id="lock-passkey-current" kind={kind} label={kind === 'pin' ? t('current') : t('currentPhrase')} value={current} onInput={setCurrent} errorId={form.error ? 'lock-passkey-error' : null} autocomplete="current-password" />
          <Problem id="lock-passkey-error" text={form.error} />
          <button type="submit" class="big" disabled={form.busy}>
            {form.busy ? t('busy') : t('passkeyAdd')}
          </button>
        </>
      )}
    </form>
  );
}

function RemovePin({ t, kind }: { t: T<K>; kind: SecretKind }) {
  const [current, setCurrent] = useState('');
  const form = usePinForm(t);
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await form.run(
      () => null,
      async () => ((await removePin(current, db())) ? null : 'wrong'),
    );
    if (ok) showToast('info', t('removed'));
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('remove')}</h2>
      <PinInput id="lock-remove-current" kind={kind} label={kind === 'pin' ? t('current') : t('currentPhrase')} value={current} onInput={setCurrent} errorId={form.error ? 'lock-remove-current-error' : null} autocomplete="current-password" />
      <Problem id="lock-remove-current-error" text={form.error} />
      <button type="submit" class="danger big" disabled={form.busy}>
        {form.busy ? t('busy') : t('remove')}
      </button>
    </form>
  );
}
