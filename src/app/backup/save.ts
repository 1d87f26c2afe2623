// Making the backup file of this phone's waiting changes, read through the app's database (decrypted while unlocked).
import { db as appDb, type LkDb } from '../../data/db';
import { deviceId } from '../../data/write';
import { backupFileName, encodeBackup } from '../../shared/backup';

export interface BackupFile {
  name: string;
  text: string;
  count: number;
}

export async function makeBackup(passphrase: string, d: LkDb = appDb(), now = new Date()): Promise<BackupFile> {
  const entries = await d.outbox.orderBy('mid').toArray();
  const text = await encodeBackup({ deviceId: await deviceId(d), entries, passphrase, now });
  return { name: backupFileName(now), text, count: entries.length };
}
