// The signed-in token and the administrator's chosen tenant live in sessionStorage: they last as
// long as the tab, and closing it signs out.
const TOKEN = 'alphadome.token';
const TENANT = 'alphadome.tenant';

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode quota): the session then lasts as long as the page.
  }
}

export const session = {
  token: () => read(TOKEN),
  setToken: (token: string) => write(TOKEN, token),
  /** The tenant an administrator last looked at; a tenant key never uses it. */
  tenant: () => read(TENANT),
  setTenant: (tenantId: string) => write(TENANT, tenantId),
  clear: () => {
    write(TOKEN, null);
    write(TENANT, null);
  },
};
