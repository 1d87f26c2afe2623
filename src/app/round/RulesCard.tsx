// The six group rules, one tap away on every step: a modal sheet that takes focus and gives it back on close.
import { useEffect, useRef, useState } from 'preact/hooks';
import { RULES } from '../../shared/method';
import { useT } from '../i18n';
import { dict } from './dict';

export function RulesButton() {
  const t = useT(dict);
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    opener.current?.focus();
  };
  return (
    <>
      <button type="button" ref={opener} aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {t('rules')}
      </button>
      {open && <RulesDialog onClose={close} />}
    </>
  );
}

function RulesDialog({ onClose }: { onClose: () => void }) {
  const t = useT(dict);
  const closeBtn = useRef<HTMLButtonElement>(null);
  useEffect(() => closeBtn.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Tab') {
      // The close button is the only control in the sheet, so focus stays on it.
      e.preventDefault();
      closeBtn.current?.focus();
    }
  };
  return (
    <div class="sheet-backdrop" onClick={onClose}>
      <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="rules-title" onKeyDown={onKeyDown} onClick={(e) => e.stopPropagation()}>
        <h2 id="rules-title">{t('rules')}</h2>
        <ol class="rules">
          {RULES.map((r) => (
            <li key={r}>{t(`rule.${r}`)}</li>
          ))}
        </ol>
        <button type="button" ref={closeBtn} class="primary big" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </div>
  );
}
