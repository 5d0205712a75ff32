// Calls the admin API with the signed-in token, or (token null) with the session cookie of a person
// signed in with email and password: then every request carries the CSRF header the server wants. Every failure becomes an ApiError carrying the
// API's own {error, details}, which the pages show as they are.

export const API_PREFIX = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly details: string,
    /** The whole answer, for endpoints that say more (an import's per-row errors). */
    readonly body: unknown,
  ) {
    super(`${title}: ${details}`);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RawBody {
  text: string;
  contentType: string;
}

export class ApiClient {
  constructor(
    private readonly token: string | null,
    /** Called on 401: the token was revoked or the session is stale. */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }
  post<T>(path: string, body?: unknown, query?: Query): Promise<T> {
    return this.request<T>('POST', path, { body, query });
  }
  postRaw<T>(path: string, raw: RawBody, query?: Query): Promise<T> {
    return this.request<T>('POST', path, { raw, query });
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }
  /** Signed in by cookie (a person) rather than by a token (the administrator or a machine). */
  get usesSession(): boolean {
    return this.token === null;
  }
  delete(path: string): Promise<void> {
    return this.request<void>('DELETE', path, {});
  }

  /** A file the API sends (an export): the bytes and the name it suggests. */
  async download(path: string, query?: Query): Promise<{ blob: Blob; filename: string }> {
    const res = await this.send('GET', path, { query });
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'export';
    return { blob: await res.blob(), filename };
  }

  private async request<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; raw?: RawBody },
  ): Promise<T> {
    const res = await this.send(method, path, options);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; raw?: RawBody },
  ): Promise<Response> {
    const headers: Record<string, string> =
      this.token === null
        ? { 'x-alphadome-csrf': '1', accept: 'application/json' }
        : { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    let body: string | undefined;
    if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      body = options.raw.text;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res: Response;
    try {
      res = await fetch(`${API_PREFIX}${path}${queryString(options.query)}`, {
        method,
        headers,
        body,
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(
        0,
        'Network error',
        'The server could not be reached; check the connection and try again',
        null,
      );
    }
    if (res.ok) return res;
    const answer = await res.json().catch(() => null);
    if (res.status === 401) this.onUnauthorized();
    throw errorFrom(res.status, answer);
  }
}

function errorFrom(status: number, answer: unknown): ApiError {
  const shape = answer && typeof answer === 'object' ? (answer as { error?: unknown; details?: unknown }) : {};
  const title = typeof shape.error === 'string' ? shape.error : `HTTP ${status}`;
  const details = typeof shape.details === 'string' ? shape.details : 'The server gave no details';
  return new ApiError(status, title, details, answer);
}

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
