// Team accounts for tests: invite a person (as the administrator or with a tenant key), set their
// password with the setup token, sign in, and call the API with the session cookie like a browser.
import { expect } from 'vitest';
import { ADMIN_TOKEN, type ApiResponse } from './adminClient.js';

export interface SignedInPerson {
  userId: string;
  email: string;
  password: string;
  setupToken: string;
  /** The session token (the cookie's value). */
  sessionToken: string;
  /** Headers a browser on our page sends: the cookie and the CSRF header. */
  headers: { cookie: string; 'x-alphadome-csrf': string };
  call(method: string, path: string, body?: unknown, extra?: { csrf?: boolean }): Promise<ApiResponse>;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<ApiResponse> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** The session token from a login answer's Set-Cookie. */
export function sessionTokenOf(res: ApiResponse): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('alphadome_session='));
  expect(cookie, res.text).toBeDefined();
  return /^alphadome_session=([^;]+)/.exec(cookie ?? '')?.[1] ?? '';
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<ApiResponse> {
  return request(baseUrl, 'POST', '/api/v1/auth/login', {}, { email, password });
}

export async function invite(
  baseUrl: string,
  tenantId: string,
  person: { email: string; name: string; role: 'owner' | 'agent' },
  token = ADMIN_TOKEN,
): Promise<{ userId: string; setupToken: string; body: any }> {
  const res = await request(
    baseUrl,
    'POST',
    `/api/v1/tenants/${tenantId}/users`,
    { authorization: `Bearer ${token}` },
    person,
  );
  expect(res.status, res.text).toBe(201);
  return { userId: res.body.id, setupToken: res.body.setup_token, body: res.body };
}

/** A session of this cookie: calls carry the CSRF header unless told not to. */
export function sessionOf(baseUrl: string, sessionToken: string): Pick<SignedInPerson, 'headers' | 'call'> {
  const headers = { cookie: `alphadome_session=${sessionToken}`, 'x-alphadome-csrf': '1' };
  return {
    headers,
    call: (method, path, body, extra = {}) =>
      request(baseUrl, method, path, extra.csrf === false ? { cookie: headers.cookie } : headers, body),
  };
}

export async function invitedAndSignedIn(
  baseUrl: string,
  tenantId: string,
  person: { email: string; name: string; role: 'owner' | 'agent' },
  token = ADMIN_TOKEN,
): Promise<SignedInPerson> {
  const { userId, setupToken } = await invite(baseUrl, tenantId, person, token);
  const password = `pw-${person.email}-long-enough`;
  const setup = await request(baseUrl, 'POST', '/api/v1/auth/setup', {}, { token: setupToken, password });
  expect(setup.status, setup.text).toBe(200);
  const login = await signIn(baseUrl, person.email, password);
  expect(login.status, login.text).toBe(200);
  const sessionToken = sessionTokenOf(login);
  return { userId, email: person.email, password, setupToken, sessionToken, ...sessionOf(baseUrl, sessionToken) };
}
