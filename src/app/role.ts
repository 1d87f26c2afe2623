// Whether this phone's account may change the coördinator's data: the server refuses a begeleider's change to
// locations, groups, categories and settings, so the screens must not offer one.
import { useSyncStatus } from '../sync/status';

/** True for a coördinator, and before any login (a first set-up happens offline; a refusal would show on #/sync). */
export function useCanManage(): boolean {
  return useSyncStatus().user?.role !== 'begeleider';
}
