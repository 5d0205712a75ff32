// Which URLs a customer's media may be downloaded from (MEDIA_ALLOWED_HOSTS). The media lookup
// hands back a URL and the tenant's token goes with the download, so a lookup answer (or a
// redirect) pointing anywhere else would send the token there.
//
// Entries, comma separated:
//   lookaside.fbsbx.com          exactly this host, https on its default port
//   *.fbcdn.net  (or .fbcdn.net)  any host below fbcdn.net (not fbcdn.net itself), https
//   https://media.example:8443   scheme, host and port spelled out (a wildcard host works here too)
//   http://127.0.0.1:4010        the only way to allow plain http: the scheme must be named
// Bare entries never allow http, so a typo cannot downgrade downloads to clear text.

/** Meta's hosts for WhatsApp media: the lookaside URL the lookup returns, and the CDNs it redirects to. */
export const DEFAULT_MEDIA_ALLOWED_HOSTS = 'lookaside.fbsbx.com,*.fbsbx.com,*.fbcdn.net,*.whatsapp.net';

interface Entry {
  protocol: 'https:' | 'http:';
  /** Lower-case host name; with `suffix`, the part every allowed host ends with (".fbcdn.net"). */
  host: string;
  suffix: boolean;
  /** '' for the scheme's default port, as URL reports it. */
  port: string;
}

const SCHEME = /^(https?):\/\//i;

export class MediaHostAllowList {
  private constructor(
    private readonly entries: readonly Entry[],
    /** The entries as given, for logs and the README's "what is allowed". */
    readonly text: string,
  ) {}

  /** Throws an Error naming the first bad entry; an empty list is refused (nothing could download). */
  static parse(text: string): MediaHostAllowList {
    const entries = text
      .split(',')
      .map((raw) => raw.trim())
      .filter((raw) => raw !== '')
      .map(parseEntry);
    if (entries.length === 0) throw new Error('must name at least one host');
    return new MediaHostAllowList(entries, text);
  }

  /** True when the URL's scheme, host and port match an entry. Unparsable URLs are refused. */
  allows(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    // Credentials in a media URL are never Meta's: refuse rather than reason about them.
    if (parsed.username !== '' || parsed.password !== '') return false;
    const host = parsed.hostname.toLowerCase();
    return this.entries.some(
      (e) =>
        e.protocol === parsed.protocol &&
        e.port === parsed.port &&
        (e.suffix ? host.endsWith(e.host) : host === e.host),
    );
  }
}

/** What a log line may say about a refused URL: scheme and host, never the path or query (signed URLs). */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(not a URL)';
  }
}

function parseEntry(raw: string): Entry {
  const scheme = SCHEME.exec(raw);
  const protocol = scheme?.[1] ? (`${scheme[1].toLowerCase()}:` as Entry['protocol']) : 'https:';
  let rest = scheme ? raw.slice(scheme[0].length) : raw;
  rest = rest.replace(/\/+$/, '');
  const suffix = rest.startsWith('*.') || rest.startsWith('.');
  if (suffix) rest = rest.slice(rest.startsWith('*.') ? 2 : 1);
  if (rest === '' || /[/@*?#\s]/.test(rest)) {
    throw new Error(
      `"${raw}" must be a host name with an optional scheme and port, nothing else (e.g. lookaside.fbsbx.com, *.fbcdn.net, http://127.0.0.1:4010)`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(`${protocol}//${rest}`);
  } catch {
    throw new Error(`"${raw}" is not a host name (e.g. lookaside.fbsbx.com, *.fbcdn.net or http://127.0.0.1:4010)`);
  }
  const host = parsed.hostname.toLowerCase();
  return { protocol, host: suffix ? `.${host}` : host, suffix, port: parsed.port };
}
