// Who is signed in: the API key, its role and tenant, in session storage only (gone when the tab closes; never in
// local storage, never in the URL).
export type Role = 'admin' | 'operator' | 'viewer';

export interface Session {
  key: string;
  role: Role;
  tenantId: string;
  tenantName: string;
  expiresAt: string | null;
}

const STORE = 'plinth.console.session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORE);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const session = {
  get: () => current,
  set(s: Session | null) {
    current = s;
    if (s) sessionStorage.setItem(STORE, JSON.stringify(s));
    else sessionStorage.removeItem(STORE);
    for (const l of listeners) l();
  },
  /** The API refused the key (revoked or expired): sign out, keeping the page to come back to. */
  expire() {
    this.set(null);
  },
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  /** Does the signed-in key hold at least this role? Write buttons are shown only when it does. */
  can(role: Role) {
    return current !== null && RANK[current.role] >= RANK[role];
  },
};
