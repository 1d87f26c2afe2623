// Whether this phone's account may change the coördinator's data: the server refuses a begeleider's change to
// locations, groups, categories and settings, so the screens must not offer one.
import { db } from '../data/db';
import { useLive } from '../data/live';
import { getStatus } from '../sync/status';

/** True for a coördinator, and before any login (a first set-up happens offline; a refusal would show on #/sync).
 * It starts from the user the sync badge has already read, so a begeleider's screen draws without the edit forms
 * from its first frame, and then follows only the stored user, not every sync. */
export function useCanManage(): boolean {
  const known = getStatus();
  const initial = known.loaded ? (known.user?.role ?? null) : null;
  const role = useLive(async () => ((await db().meta.get('user'))?.value as { role?: string } | undefined)?.role ?? null, [], initial);
  return role !== 'begeleider';
}
