// The admin API's routes as the OpenAPI document lists them, turned into concrete calls for the
// tenant isolation suite, with one plausible valid body per write route (the table below), and
// the snapshots that show a tenant unchanged.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import type { AdminClient } from './adminClient.js';
import type { TestApp } from './testApp.js';

export const API = '/api/v1';
const T = `${API}/tenants/{tenantId}`;

/** Credentials the table writes; they must never be found in clear in the database either. */
export const PLANTED_SECRETS = ['EAA-planted-token-999999-PLNT', 'sk-planted-openai-999999-PLNK'] as const;
const PLANTED = 'PLANTED-BY-ANOTHER-TENANT';

export interface RouteCase {
  /** Appended to the path, with its "?". */
  query?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as text/csv. */
  csv?: string;
}

/**
 * Every route that is not a GET, keyed "METHOD path" exactly as the OpenAPI document names it, with
 * bodies the owner of the tenant could send successfully (the suite's control run proves it, so a 404
 * elsewhere is the isolation, not a validation error). A route missing here fails the suite: a new
 * write route is added consciously.
 */
export const WRITE_CASES: Record<string, RouteCase[]> = {
  [`POST ${API}/tenants`]: [{ body: { client_name: PLANTED, client_phone: '+254 799 000 999' } }],
  [`POST ${API}/admin/encryption/rotate`]: [{}],
  [`PATCH ${T}`]: [{ body: { client_name: PLANTED, ai_model: 'gpt-planted', metadata: { planted: true } } }],
  [`DELETE ${T}`]: [{}],
  [`POST ${T}/deactivate`]: [{}],
  [`PUT ${T}/credentials`]: [
    {
      body: {
        whatsapp_access_token: PLANTED_SECRETS[0],
        ai_api_key: null,
        fallback_keys: { openai: PLANTED_SECRETS[1] },
      },
    },
  ],
  [`POST ${T}/api-keys`]: [{ body: { name: PLANTED } }],
  [`DELETE ${T}/api-keys/{keyId}`]: [{}],
  [`POST ${T}/templates`]: [{ body: { template_name: PLANTED, system_prompt: PLANTED, is_default: true } }],
  [`PATCH ${T}/templates/{templateId}`]: [{ body: { system_prompt: PLANTED, is_default: true } }],
  [`PUT ${T}/templates/{templateId}`]: [{ body: { template_name: PLANTED, is_active: false } }],
  [`DELETE ${T}/templates/{templateId}`]: [{}],
  [`POST ${T}/training`]: [{ body: { question: `${PLANTED}?`, answer: PLANTED, priority: 10 } }],
  [`POST ${T}/training/import`]: [
    { query: '?mode=replace', csv: `question,answer,priority\r\n${PLANTED}?,${PLANTED},10\r\n` },
    { query: '?mode=replace&partial=true', body: { rows: [{ question: `${PLANTED}?`, answer: PLANTED }] } },
    { body: [{ question: `${PLANTED}?`, answer: PLANTED, data_type: 'rule' }] },
  ],
  [`PATCH ${T}/training/{rowId}`]: [{ body: { answer: PLANTED, priority: 10 } }],
  [`PUT ${T}/training/{rowId}`]: [{ body: { is_active: false } }],
  [`POST ${T}/training/{rowId}/variants`]: [{ body: { variants: [`${PLANTED} variant?`] } }],
  [`DELETE ${T}/training/{rowId}`]: [{}],
  [`PUT ${T}/settings`]: [{ body: { is_bot_enabled: false, metadata: { fallback_message: PLANTED } } }],
  [`PATCH ${T}/settings`]: [{ body: { escalation_email: 'planted@example.com', enable_ai_responses: false } }],
  // Answers 200 (resumed: false) when the conversation is not paused, so the control run passes without one.
  [`POST ${T}/handoffs/{userPhone}/resume`]: [{}],
  [`POST ${T}/users`]: [{ body: { email: 'planted-person@example.com', name: PLANTED, role: 'agent' } }],
  [`PATCH ${T}/users/{userId}`]: [{ body: { name: PLANTED, disabled: true } }],
  [`POST ${T}/users/{userId}/setup-link`]: [{}],
  [`DELETE ${T}/users/{userId}`]: [{}],
  // A template is allowed outside the 24-hour window, so the control run needs no customer message.
  [`POST ${T}/conversations/{userPhone}/messages`]: [
    { body: { template: { name: 'follow_up', language: 'en_US', parameters: [PLANTED] } } },
  ],
  [`POST ${T}/conversations/{userPhone}/resolve`]: [{}],
  [`POST ${T}/conversations/{userPhone}/assign`]: [{ body: { user_id: null } }],
  // Public: they answer without a caller, about the credentials they are given (wrong ones here).
  [`POST ${API}/auth/setup`]: [{ body: { token: PLANTED, password: 'a planted password' } }],
  [`POST ${API}/auth/login`]: [{ body: { email: 'planted-person@example.com', password: 'a planted password' } }],
  [`POST ${API}/auth/logout`]: [{}],
  [`POST ${T}/payments`]: [
    { body: { phone: '254700000999', amount: 100, reference: 'PLANTED', description: PLANTED } },
  ],
};

/** GETs worth more than their one plain call: filters and formats that read more of the data. */
export const READ_CASES: Record<string, RouteCase[]> = {
  [`GET ${API}/tenants`]: [{}, { query: '?limit=100' }],
  [`GET ${T}/training`]: [{}, { query: '?limit=100&is_active=true' }],
  [`GET ${T}/training/export`]: [{ query: '?format=csv' }, { query: '?format=json' }],
  [`GET ${T}/messages`]: [{ query: '?limit=100' }, { query: '?direction=outbound&status=sent' }],
  [`GET ${T}/audit`]: [{ query: '?limit=100' }],
  [`GET ${T}/handoffs`]: [{ query: '?limit=100' }],
  [`GET ${T}/payments`]: [{ query: '?limit=100' }, { query: '?status=pending&phone=0700000999' }],
};

/** Only the platform administrator may call these: a tenant key gets 403 before anything else. */
export const ADMIN_ONLY = new Set([
  `GET ${API}/tenants`,
  `POST ${API}/tenants`,
  `DELETE ${T}`,
  `POST ${API}/admin/encryption/rotate`,
]);

/** Routes outside any tenant's path that every caller may use: each answers about the caller itself. */
export const CALLER_ONLY = new Set([`GET ${API}/me`]);

/** Routes that need no caller at all (signing in): they never answer with any tenant's data. */
export const PUBLIC_ROUTES = new Set([`POST ${API}/auth/setup`, `POST ${API}/auth/login`, `POST ${API}/auth/logout`]);

export type OpenApiDocument = { paths: Record<string, Record<string, unknown>> };

/** "METHOD path" of every operation in the document, and what the tables above lack or list in vain. */
export function routesOf(doc: OpenApiDocument): { routes: string[]; problems: string[] } {
  const routes: string[] = [];
  const problems: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const method of Object.keys(operations)) {
      if (!['get', 'put', 'post', 'patch', 'delete'].includes(method)) continue;
      const route = `${method.toUpperCase()} ${path}`;
      routes.push(route);
      if (method !== 'get' && !WRITE_CASES[route]) problems.push(`${route}: no body in WRITE_CASES`);
      if (
        !path.includes('{tenantId}') &&
        !ADMIN_ONLY.has(route) &&
        !CALLER_ONLY.has(route) &&
        !PUBLIC_ROUTES.has(route)
      ) {
        problems.push(`${route}: has no {tenantId} and is in none of ADMIN_ONLY, CALLER_ONLY, PUBLIC_ROUTES`);
      }
    }
  }
  for (const route of [
    ...Object.keys(WRITE_CASES),
    ...Object.keys(READ_CASES),
    ...ADMIN_ONLY,
    ...CALLER_ONLY,
    ...PUBLIC_ROUTES,
  ]) {
    if (!routes.includes(route)) problems.push(`${route}: listed here, but not in the OpenAPI document`);
  }
  return { routes, problems };
}

export interface RouteCall {
  route: string;
  method: string;
  url: string;
  case: RouteCase;
  adminOnly: boolean;
}

/** Path parameters that are not a tenant's row ids: the same value serves every tenant. */
const PATH_VALUES: Record<string, string> = { userPhone: '254700000999' };

/** The calls of these routes with these ids in the path: one per table case, and a HEAD beside every GET. */
export function callsFor(routes: readonly string[], ids: Record<string, string>): RouteCall[] {
  return routes.flatMap((route) => {
    const [method = '', path = ''] = route.split(' ');
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const id = ids[name] ?? PATH_VALUES[name];
      if (!id) throw new Error(`${route}: no id given for {${name}}; add one to the suite`);
      return id;
    });
    const calls = (WRITE_CASES[route] ?? READ_CASES[route] ?? [{}]).map((c) => ({
      route,
      method,
      url: `${url}${c.query ?? ''}`,
      case: c,
      adminOnly: ADMIN_ONLY.has(route),
    }));
    // Fastify answers HEAD from the GET route, through the same hooks.
    return method === 'GET' ? [...calls, { ...calls[0]!, method: 'HEAD' }] : calls;
  });
}

export interface Answer {
  status: number;
  text: string;
  body: any;
  headers: Headers;
}

/** Sends one call with this Authorization header (null: none) and any other headers (a session cookie). */
export async function send(
  baseUrl: string,
  call: RouteCall,
  authorization: string | null,
  extra: Record<string, string> = {},
): Promise<Answer> {
  const { body, csv } = call.case;
  const headers: Record<string, string> = authorization === null ? { ...extra } : { authorization, ...extra };
  if (csv !== undefined) headers['content-type'] = 'text/csv';
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${call.url}`, {
    method: call.method,
    headers,
    ...(csv !== undefined ? { body: csv } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // An event stream never ends: what it says on opening is its answer.
  const text = res.headers.get('content-type')?.startsWith('text/event-stream')
    ? await firstChunk(res)
    : await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, text, body: parsed, headers: res.headers };
}

async function firstChunk(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}

/** Which of `data` an answer (body and headers) shows, leaving out what the URL itself holds. */
export function leaked(answer: Answer | string, data: readonly string[], url = ''): string[] {
  const text =
    typeof answer === 'string'
      ? answer
      : `${answer.text}\n${[...answer.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}`;
  return [...new Set(data)].filter((item) => item.length >= 4 && !url.includes(item) && text.includes(item));
}

/** An answer with one id replaced, to compare with the answer for an id that does not exist. */
export function shape(answer: Answer, id: string, as = '<id>'): { status: number; type: string | null; text: string } {
  return { status: answer.status, type: answer.headers.get('content-type'), text: answer.text.replaceAll(id, as) };
}

/** Everything the administrator can read of one tenant. */
export async function tenantSnapshot(api: AdminClient, tenantId: string): Promise<Record<string, unknown>> {
  const read = async (path: string) => {
    const res = await api.call('GET', `${API}/tenants/${tenantId}${path}`);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res.body ?? res.text;
  };
  return {
    tenant: await read(''),
    credentials: await read('/credentials'),
    templates: await read('/templates'),
    training: await read('/training?limit=100'),
    export: await read('/training/export?format=csv'),
    settings: await read('/settings'),
    apiKeys: await read('/api-keys'),
    audit: await read('/audit?limit=100'),
    messages: await read('/messages?limit=100'),
    handoffs: await read('/handoffs?limit=100'),
    ratings: await read('/ratings'),
    users: await read('/users'),
    conversations: await read('/conversations'),
    payments: await read('/payments?limit=100'),
  };
}

/** Every row of every table of schema alphadome, each as `expression` (of row `t`), sorted. */
export async function everyRow(t: TestApp, expression = 't::text'): Promise<Record<string, string[]>> {
  const tables = await t.rows<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'alphadome' ORDER BY table_name`,
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await t.rows<{ row: string }>(`SELECT ${expression} AS row FROM alphadome."${name}" t ORDER BY 1`);
    out[name] = rows.map((r) => r.row);
  }
  return out;
}

/** The whole database, but for when a key was last used (a read with a key notes that). */
export const databaseSnapshot = (t: TestApp) => everyRow(t, `(to_jsonb(t) - 'last_used_at')::text`);

/**
 * The database as text, every way the suite can get at it: every row of every table of schema
 * alphadome; on PostgreSQL `pg_dump --data-only` (when the binary exists); and, after a checkpoint,
 * the database's own files (PGlite's folder, or a local PostgreSQL's base/<oid> when readable), where
 * dead row versions and the WAL would still show a secret that was ever written in clear.
 */
export async function databaseDumps(t: TestApp): Promise<{ what: string; bytes: Buffer }[]> {
  const rows = Object.entries(await everyRow(t)).map(([table, lines]) => `${table}\n${lines.join('\n')}`);
  const dumps = [{ what: 'every row', bytes: Buffer.from(rows.join('\n')) }];
  const { url, dataDir } = t.database;
  if (url) {
    const dump = await promisify(execFile)('pg_dump', ['--data-only', '--dbname', url], {
      maxBuffer: 256 * 1024 * 1024,
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null; // no pg_dump here
      throw err;
    });
    if (dump) dumps.push({ what: 'pg_dump --data-only', bytes: Buffer.from(dump.stdout) });
  }
  const [where] = url
    ? await t
        .rows<{ dir: string }>(
          `SELECT current_setting('data_directory') || '/base/' || oid AS dir FROM pg_database WHERE datname = current_database()`,
        )
        .catch(() => [])
    : [{ dir: dataDir as string }];
  const files = where ? await readdir(where.dir, { recursive: true, withFileTypes: true }).catch(() => null) : null;
  if (where && files) {
    await t.rows('CHECKPOINT').catch(() => []); // PostgreSQL wants a superuser; the name check below shows the data reached the files
    const bytes = await Promise.all(
      files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name))),
    );
    dumps.push({ what: `the files in ${where.dir}`, bytes: Buffer.concat(bytes) });
  }
  return dumps;
}
