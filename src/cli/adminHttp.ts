// The admin API over HTTP, as the command line uses it: bearer token, JSON or CSV bodies, and
// every failure turned into a CliError that says what went wrong without a stack trace.
import { CliError } from './cliError.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON answer parsed; null when the answer is not JSON. */
  body: unknown;
}

export interface SendOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType`. */
  text?: string;
  contentType?: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | boolean | undefined>;
}

/** An import of 20,000 rows takes a while; nothing else comes close. */
const DEFAULT_TIMEOUT_MS = 120_000;

export class AdminHttp {
  constructor(
    /** Server root, without a trailing slash: http://127.0.0.1:3000 */
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {}

  /** Any answer, whatever its status; only an unreachable server throws. */
  async send(method: string, path: string, options: SendOptions = {}): Promise<ApiAnswer> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json, text/csv;q=0.9',
    };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.text !== undefined) {
      headers['content-type'] = options.contentType ?? 'text/plain';
      body = options.text;
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw this.unreachable(err);
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: parseJson(text) };
  }

  /** The parsed answer of a 2xx; any other status throws the API's own error and details. */
  async call<T>(method: string, path: string, options: SendOptions = {}): Promise<T> {
    const answer = await this.send(method, path, options);
    if (answer.status < 200 || answer.status >= 300) throw apiFailure(answer);
    return answer.body as T;
  }

  private unreachable(err: unknown): CliError {
    const name = (err as { name?: unknown })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new CliError(
        `The Alphadome server at ${this.baseUrl} did not answer within ${Math.round(this.timeoutMs / 1000)} s.`,
        ['It may still be working on the request: check its log before trying again.'],
      );
    }
    return new CliError(`Cannot reach the Alphadome server at ${this.baseUrl} (${networkReason(err)}).`, [
      'Start it in the project folder with `npm start` (or `npm run dev`), then run this command again;',
      'or point this command at a running server with --server <url> or ALPHADOME_URL.',
    ]);
  }
}

/** `Error (401 Unauthorized): The bearer token is not valid`, with a hint where one helps. */
export function apiFailure(answer: ApiAnswer): CliError {
  const body = answer.body as { error?: unknown; details?: unknown } | null;
  const title = typeof body?.error === 'string' ? body.error : null;
  const details = typeof body?.details === 'string' ? body.details : null;
  const message = details
    ? `Error (${answer.status}${title ? ` ${title}` : ''}): ${details}`
    : `Error: the server answered HTTP ${answer.status} without error details${answer.text ? `: ${answer.text.slice(0, 200).trim()}` : ''}`;
  return new CliError(message, hintsFor(answer.status));
}

function hintsFor(status: number): string[] {
  if (status === 401) {
    return [
      'The token (--token or ADMIN_API_TOKEN) must equal the ADMIN_API_TOKEN the server was started with,',
      'or be a live API key of the tenant concerned.',
    ];
  }
  if (status === 403) return ['This command needs the administrator token (ADMIN_API_TOKEN), not a tenant API key.'];
  if (status >= 500) return ['The server log has the cause.'];
  return [];
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; errors?: { code?: unknown }[]; message?: unknown } })?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused: nothing is listening there',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed',
    ECONNRESET: 'connection reset',
    EHOSTUNREACH: 'host unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (typeof code === 'string') return reasons[code] ?? code;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
