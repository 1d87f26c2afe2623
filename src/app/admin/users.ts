// Begeleider accounts live only on the server: these calls need a connection and a coördinator's session.
import { keyHeaders } from '../../sync/api';

export interface ApiUser {
  id: string;
  username: string;
  role: 'coordinator' | 'begeleider';
  groups: string[];
  active: boolean;
}

/** The server cannot be asked now: no connection, or this session is not a coördinator's. */
export class UsersUnavailable extends Error {
  constructor(readonly reason: 'offline' | 'forbidden') {
    super(reason);
    this.name = 'UsersUnavailable';
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new UsersUnavailable('offline');
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'x-lk': '1', ...(await keyHeaders()), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new UsersUnavailable('offline');
  }
  if (res.status === 401 || res.status === 403) throw new UsersUnavailable('forbidden');
  const data = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok) {
    const reason = data && (data.error ?? data.reason ?? data.message);
    throw new Error(typeof reason === 'string' ? reason : `De server antwoordde ${res.status}`);
  }
  return data as T;
}

export const listUsers = async () => (await call<{ users: ApiUser[] }>('GET', '/api/users')).users;

export const createBegeleider = (username: string, groups: string[]) =>
  call<{ user: ApiUser; password: string }>('POST', '/api/users', { username, role: 'begeleider', groups });

export const setUserGroups = (id: string, groups: string[]) => call<unknown>('PUT', `/api/users/${encodeURIComponent(id)}/groups`, { groups });

export const resetPassword = (id: string) => call<{ password: string }>('POST', `/api/users/${encodeURIComponent(id)}/reset`);

export const deactivateUser = (id: string) => call<unknown>('POST', `/api/users/${encodeURIComponent(id)}/deactivate`);

/** Ends every session of the account, on every phone (a lost phone); how many there were. */
export const signOutUser = (id: string) => call<{ sessions: number }>('POST', `/api/users/${encodeURIComponent(id)}/signout`);
