// Calls the admin API over real HTTP with a bearer token, for tests.

/** ADMIN_API_TOKEN of test apps that exercise the admin API. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON answer parsed (tests read whatever the endpoint answers); null when not JSON. */
  body: any;
}

export interface CallOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** A body sent as is (malformed JSON, CSV, ...), with `contentType` (default application/json). */
  rawBody?: string;
  contentType?: string;
  /** Overrides the administrator token; null sends no Authorization header. */
  token?: string | null;
}

export interface AdminClient {
  /** `call('GET', '/api/v1/tenants')`: the path is the full path from the server root. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
}

export function adminClient(baseUrl: string, token: string = ADMIN_TOKEN): AdminClient {
  return {
    async call(method, path, options = {}) {
      const bearer = options.token === undefined ? token : options.token;
      const hasBody = options.rawBody !== undefined || options.body !== undefined;
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(bearer !== null ? { authorization: `Bearer ${bearer}` } : {}),
          ...(hasBody ? { 'content-type': options.contentType ?? 'application/json' } : {}),
        },
        ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      return { status: res.status, headers: res.headers, text, body };
    },
  };
}

let phoneCounter = 0;

/** A phone number no other test (nor a parallel test file) uses: digits only, country code first. */
export function uniquePhone(): string {
  phoneCounter += 1;
  const tail = String((process.pid * 1_000 + phoneCounter) % 100_000_000).padStart(8, '0');
  return `2547${tail}`;
}
