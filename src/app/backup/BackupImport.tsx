// The coördinator's import of a phone's backup: choose the file, give the passphrase, see what is in it, send it.
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { db } from '../../data/db';
import { BackupError, decodeBackup, readBackupHeader, summarize, type BackupEntry, type BackupEnvelope } from '../../shared/backup';
import { TABLES, type Rejected, type TableName } from '../../shared/schema';
import type { Transport } from '../../sync/api';
import { requestSync } from '../../sync/triggers';
import { LocaleContext, useT } from '../i18n';
import { useRoute } from '../router';
import { dict, problemKey } from './dict';
import { PushError, pushBackup, type PushResult } from './push';
import './backup.css';

type Step =
  | { at: 'choose' }
  | { at: 'locked'; text: string; header: BackupEnvelope }
  | { at: 'open'; header: BackupEnvelope; entries: BackupEntry[]; groups: Map<string | null, number>; names: Map<string, string> }
  | { at: 'done'; result: PushResult };

export function BackupImport({ transport }: { transport: Transport }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const route = useRoute();
  const section = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [step, setStep] = useState<Step>({ at: 'choose' });
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A fresh file input after each import, so choosing the same file again still fires a change.
  const [inputKey, setInputKey] = useState(0);

  useEffect(() => {
    if (route[0] !== 'sync' || route[1] !== 'import') return;
    section.current?.scrollIntoView?.({ block: 'start' });
    // Focus follows the view (the shell gave it to the sync screen's heading), so Tab goes on from the import.
    heading.current?.focus({ preventScroll: true });
  }, [route[1]]);

  const choose = async (e: Event) => {
    setError(null);
    setPassphrase('');
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (!file) return setStep({ at: 'choose' });
    let text: string;
    try {
      text = await file.text();
    } catch {
      setStep({ at: 'choose' });
      return setError(t('readFailed'));
    }
    try {
      setStep({ at: 'locked', text, header: readBackupHeader(text) });
    } catch (err) {
      setStep({ at: 'choose' });
      setError(err instanceof BackupError ? t(problemKey(err.problem)) : t('readFailed'));
    }
  };

  const unlock = async (e: Event) => {
    e.preventDefault();
    if (step.at !== 'locked') return;
    setError(null);
    setBusy(true);
    try {
      const { header, entries } = await decodeBackup(step.text, passphrase);
      const { groups } = summarize(entries);
      const ids = [...groups.keys()].filter((g): g is string => g !== null);
      const rows = await db().table('groups').bulkGet(ids);
      const names = new Map(rows.flatMap((r) => (r && !r._d && r.name ? [[r.id, r.name] as [string, string]] : [])));
      setStep({ at: 'open', header, entries, groups, names });
      setPassphrase('');
    } catch (err) {
      // A wrong passphrase keeps what was typed, so a small slip can be corrected instead of retyped.
      setError(err instanceof BackupError ? t(problemKey(err.problem)) : t('readFailed'));
    } finally {
      setBusy(false);
    }
  };

  const send = async () => {
    if (step.at !== 'open') return;
    setError(null);
    setBusy(true);
    try {
      const d = db();
      const cursor = ((await d.meta.get('cursor'))?.value as string | undefined) ?? '0';
      const result = await pushBackup(transport, step.header.deviceId, step.entries, cursor);
      setStep({ at: 'done', result });
      setInputKey((k) => k + 1);
      // Bring what was imported to this device through the normal sync.
      void requestSync('manual', { ...transport, db: d });
    } catch (err) {
      const applied = err instanceof PushError ? err.applied : 0;
      const key = err instanceof PushError && err.problem === 'login' ? 'pushLogin' : err instanceof PushError && err.problem === 'offline' ? 'pushOffline' : 'pushServer';
      setError(t(key, { applied }));
    } finally {
      setBusy(false);
    }
  };

  const date = (iso: string) => new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'long', timeStyle: 'short' });

  return (
    <section class="card stack backup" aria-labelledby="backup-import-title" ref={section}>
      <h2 id="backup-import-title" ref={heading} tabIndex={-1}>
        {t('importTitle')}
      </h2>
      <p class="muted">{t('importIntro')}</p>
      {step.at === 'done' ? (
        <Done result={step.result} t={t} onAgain={() => setStep({ at: 'choose' })} />
      ) : (
        <>
          <label for="backup-file">{t('file')}</label>
          <input key={inputKey} id="backup-file" type="file" accept=".lkbackup,application/json,application/octet-stream" onChange={(e) => void choose(e)} disabled={busy} />
        </>
      )}
      {(step.at === 'locked' || step.at === 'open') && (
        <p>{t('about', { date: date(step.header.createdAt), n: step.header.counts.changes, device: step.header.deviceId })}</p>
      )}
      {step.at === 'locked' && (
        <form class="stack" onSubmit={(e) => void unlock(e)} noValidate>
          <label for="backup-passphrase">{t('passphrase')}</label>
          <input
            id="backup-passphrase"
            type="password"
            autocomplete="off"
            value={passphrase}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'backup-import-error' : undefined}
          />
          <button type="submit" class="primary big" disabled={busy}>
            {busy ? t('opening') : t('open')}
          </button>
        </form>
      )}
      {step.at === 'open' && (
        <>
          <h3>{t('previewTitle')}</h3>
          <Counts
            label={t('perTable')}
            rows={TABLES.flatMap((tb) => {
              const n = summarize(step.entries).tables[tb];
              return n ? [[t(tb), n] as [string, number]] : [];
            })}
          />
          <Counts label={t('perGroup')} rows={[...step.groups].map(([g, n]) => [g === null ? t('organisation') : (step.names.get(g) ?? g), n])} />
          <button type="button" class="primary big" onClick={() => void send()} disabled={busy}>
            {busy ? t('importing') : t('importN', { n: step.entries.length })}
          </button>
        </>
      )}
      {error && (
        <p id="backup-import-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Counts({ label, rows }: { label: string; rows: [string, number][] }) {
  return (
    <div>
      <h4>{label}</h4>
      <ul class="backup-counts" aria-label={label}>
        {rows.map(([name, n]) => (
          <li key={name}>
            <span>{name}</span>
            <strong>{n}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Done({ result, t, onAgain }: { result: PushResult; t: ReturnType<typeof useT<keyof typeof dict.nl>>; onAgain: () => void }) {
  return (
    <>
      <p role="status">{t('done', { applied: result.applied })}</p>
      {result.already > 0 && <p>{t('already', { n: result.already })}</p>}
      {result.rejected.length > 0 && <Refused items={result.rejected} t={t} />}
      <button type="button" onClick={onAgain}>
        {t('another')}
      </button>
    </>
  );
}

function Refused({ items, t }: { items: Rejected[]; t: ReturnType<typeof useT<keyof typeof dict.nl>> }) {
  return (
    <div>
      <h3>{t('refusedTitle', { n: items.length })}</h3>
      <ul class="sync-rejected">
        {items.map((r) => (
          <li key={r.mid}>
            {(TABLES as string[]).includes(r.table) ? t(r.table as TableName) : r.table}: {r.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
