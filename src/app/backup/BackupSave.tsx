// "Back-up van wachtende wijzigingen opslaan": a passphrase twice, then an encrypted file to save or share.
import { useEffect, useRef, useState } from 'preact/hooks';
import { BackupError, MIN_PASSPHRASE } from '../../shared/backup';
import { useT } from '../i18n';
import { useRoute } from '../router';
import { dict, problemKey } from './dict';
import { makeBackup } from './save';
import './backup.css';

interface Ready {
  name: string;
  count: number;
  url: string;
  file: File;
}

export function BackupSave({ waiting }: { waiting: number }) {
  const t = useT(dict);
  const route = useRoute();
  const wanted = route[0] === 'sync' && route[1] === 'backup';
  const [open, setOpen] = useState(wanted);
  const [pass1, setPass1] = useState('');
  const [pass2, setPass2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState<Ready | null>(null);
  const section = useRef<HTMLElement>(null);
  const first = useRef<HTMLInputElement>(null);

  // Arriving from a warning's "Back-up opslaan": open the form and put it in view.
  useEffect(() => {
    if (!wanted) return;
    setOpen(true);
    section.current?.scrollIntoView?.({ block: 'start' });
  }, [wanted]);
  useEffect(() => {
    if (open && !ready) first.current?.focus();
  }, [open, ready]);
  useEffect(() => () => void (ready && URL.revokeObjectURL(ready.url)), [ready]);

  const close = () => {
    setOpen(false);
    setReady(null);
    setPass1('');
    setPass2('');
    setError(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    if (pass1.length < MIN_PASSPHRASE) return setError(t('tooShort'));
    if (pass1 !== pass2) return setError(t('mismatch'));
    setBusy(true);
    try {
      const b = await makeBackup(pass1);
      const file = new File([b.text], b.name, { type: 'application/octet-stream' });
      setReady({ name: b.name, count: b.count, url: URL.createObjectURL(file), file });
      setPass1('');
      setPass2('');
    } catch (err) {
      setError(err instanceof BackupError ? t(problemKey(err.problem)) : t('saveFailed', { reason: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  const canShare = ready !== null && typeof navigator.canShare === 'function' && navigator.canShare({ files: [ready.file] });
  const share = async () => {
    if (!ready) return;
    try {
      await navigator.share({ files: [ready.file], title: ready.name });
    } catch (err) {
      // Closing the share sheet is a choice, not a failure.
      if ((err as Error).name !== 'AbortError') setError(t('shareFailed'));
    }
  };

  return (
    <section class="card stack backup" aria-labelledby="backup-save-title" ref={section}>
      <h2 id="backup-save-title">{t('saveTitle')}</h2>
      <p class="muted">{t('saveIntro')}</p>
      {waiting === 0 && !ready ? (
        <p>{t('nothingToSave')}</p>
      ) : ready ? (
        <>
          <p role="status">{ready.count === 1 ? t('readyOne', { name: ready.name }) : t('ready', { n: ready.count, name: ready.name })}</p>
          <div class="row backup-actions">
            <a class="btn primary big" href={ready.url} download={ready.name}>
              {t('download')}
            </a>
            {canShare && (
              <button type="button" class="big" onClick={() => void share()}>
                {t('share')}
              </button>
            )}
          </div>
          <p class="muted">{t('passHint')}</p>
          {error && (
            <p class="field-error" role="alert">
              {error}
            </p>
          )}
          <button type="button" onClick={close}>
            {t('close')}
          </button>
        </>
      ) : open ? (
        <form class="stack" onSubmit={(e) => void submit(e)} noValidate>
          <label for="backup-pass1">{t('pass1')}</label>
          <input
            id="backup-pass1"
            ref={first}
            type="password"
            autocomplete="new-password"
            value={pass1}
            onInput={(e) => setPass1(e.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'backup-save-error' : 'backup-pass-hint'}
          />
          <label for="backup-pass2">{t('pass2')}</label>
          <input
            id="backup-pass2"
            type="password"
            autocomplete="new-password"
            value={pass2}
            onInput={(e) => setPass2(e.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'backup-save-error' : 'backup-pass-hint'}
          />
          <p id="backup-pass-hint" class="muted">
            {t('passHint')}
          </p>
          {error && (
            <p id="backup-save-error" class="field-error" role="alert">
              {error}
            </p>
          )}
          <div class="row backup-actions">
            <button type="submit" class="primary big" disabled={busy}>
              {busy ? t('making') : t('make')}
            </button>
            <button type="button" onClick={close} disabled={busy}>
              {t('cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="big" onClick={() => setOpen(true)}>
          {t('saveOpen')}
        </button>
      )}
    </section>
  );
}
