// Plain-text layout for the terminal: aligned tables and field lists, masked secrets, dates.
import type { MaskedSecret, TenantCredentialsView } from '../modules/tenants/ports.js';

export const cliFormat = {
  /** Columns padded to their widest cell; line breaks inside a cell are flattened. */
  table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
    const cells = [headers, ...rows].map((row) => row.map((cell) => cell.replace(/\s*[\r\n]+\s*/g, ' ⏎ ')));
    const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
    return cells
      .map((row) =>
        row
          .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  },

  /** `  label   value` lines, labels aligned. */
  fields(pairs: readonly (readonly [string, string])[], indent = '  '): string {
    const width = Math.max(0, ...pairs.map(([label]) => label.length));
    return pairs.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join('\n');
  },

  /** What the API shows of a secret: whether it is set and its last four characters. */
  masked(secret: MaskedSecret): string {
    if (!secret.set) return 'not set';
    return secret.last4 ? `set (ends in ${secret.last4})` : 'set';
  },

  credentials(view: TenantCredentialsView): string {
    return cliFormat.fields([
      ['WhatsApp access token', cliFormat.masked(view.whatsapp_access_token)],
      ['WhatsApp app secret', cliFormat.masked(view.whatsapp_app_secret)],
      ['AI API key', cliFormat.masked(view.ai_api_key)],
      ['Fallback key: OpenAI', cliFormat.masked(view.fallback_keys.openai)],
      ['Fallback key: OpenRouter', cliFormat.masked(view.fallback_keys.openrouter)],
      ['Fallback key: HuggingFace', cliFormat.masked(view.fallback_keys.huggingface)],
      ['M-Pesa consumer key', cliFormat.masked(view.mpesa_consumer_key)],
      ['M-Pesa consumer secret', cliFormat.masked(view.mpesa_consumer_secret)],
      ['M-Pesa passkey', cliFormat.masked(view.mpesa_passkey)],
    ]);
  },

  /** `2024-05-01 09:30 UTC`, or `-` for none. */
  time(iso: string | null): string {
    if (!iso) return '-';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  },

  /** `1 row`, `3 rows`. */
  count(n: number, singular: string, plural = `${singular}s`): string {
    return `${n} ${n === 1 ? singular : plural}`;
  },

  json(value: unknown): string {
    return JSON.stringify(value, null, 2);
  },
};
