// usePwa: re-renders a component when the service worker or storage-persistence state changes.
import { useEffect, useState } from 'preact/hooks';
import { getPwaState, subscribePwa, type PwaState } from './register';

export function usePwa(): PwaState {
  const [s, setS] = useState(getPwaState);
  useEffect(() => subscribePwa(() => setS(getPwaState())), []);
  return s;
}
