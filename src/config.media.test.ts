import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_MEDIA_ALLOWED_HOSTS } from './domain/mediaHostAllowList.js';

describe('media settings', () => {
  it('default to 20 MB, 30 s, no vision model and whisper-1', () => {
    expect(loadConfig({}).media).toMatchObject({
      maxBytes: 20 * 1024 * 1024,
      downloadTimeoutMs: 30_000,
      documents: { timeoutMs: 10_000, maxMemoryMb: 256, maxPages: 30, maxChars: 12_000 },
      visionModel: null,
      transcriptionModel: 'whisper-1',
    });
  });

  it('read every setting, and "none" turns transcription off', () => {
    const config = loadConfig({
      MEDIA_MAX_BYTES: '5242880',
      MEDIA_DOWNLOAD_TIMEOUT_MS: '10000',
      AI_VISION_MODEL: ' openrouter:qwen/qwen2.5-vl-72b-instruct ',
      AI_TRANSCRIPTION_MODEL: 'none',
      DOCUMENT_PARSE_TIMEOUT_MS: '5000',
      DOCUMENT_PARSE_MAX_MEMORY_MB: '128',
      DOCUMENT_MAX_PAGES: '5',
      DOCUMENT_MAX_TEXT_CHARS: '4000',
    });
    expect(config.media).toMatchObject({
      maxBytes: 5_242_880,
      downloadTimeoutMs: 10_000,
      documents: { timeoutMs: 5_000, maxMemoryMb: 128, maxPages: 5, maxChars: 4_000 },
      visionModel: 'openrouter:qwen/qwen2.5-vl-72b-instruct',
      transcriptionModel: null,
    });
    expect(loadConfig({ AI_VISION_MODEL: '  ', AI_TRANSCRIPTION_MODEL: 'OFF' }).media).toMatchObject({
      visionModel: null,
      transcriptionModel: null,
    });
  });

  it('refuse a size or timeout that is not a whole number, naming the setting', () => {
    expect(() => loadConfig({ MEDIA_MAX_BYTES: '20MB' })).toThrow(ConfigError);
    expect(() => loadConfig({ MEDIA_MAX_BYTES: '20MB' })).toThrow(
      /MEDIA_MAX_BYTES: must be a non-negative integer, got "20MB"/,
    );
    expect(() => loadConfig({ MEDIA_DOWNLOAD_TIMEOUT_MS: '-1' })).toThrow(/MEDIA_DOWNLOAD_TIMEOUT_MS/);
    expect(() => loadConfig({ DOCUMENT_PARSE_MAX_MEMORY_MB: '256MB' })).toThrow(
      /DOCUMENT_PARSE_MAX_MEMORY_MB: must be a non-negative integer/,
    );
  });

  it("allow media downloads from Meta's hosts over https by default, or from MEDIA_ALLOWED_HOSTS", () => {
    const defaults = loadConfig({}).media.allowedHosts;
    expect(defaults.text).toBe(DEFAULT_MEDIA_ALLOWED_HOSTS);
    expect(defaults.allows('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1')).toBe(true);
    expect(defaults.allows('http://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1')).toBe(false);
    const own = loadConfig({ MEDIA_ALLOWED_HOSTS: 'http://127.0.0.1:4010' }).media.allowedHosts;
    expect(own.allows('http://127.0.0.1:4010/media-download/a/1')).toBe(true);
    expect(own.allows('https://lookaside.fbsbx.com/x')).toBe(false);
  });

  it('refuse an allowed-hosts entry that is not a host, naming the setting and the entry', () => {
    expect(() => loadConfig({ MEDIA_ALLOWED_HOSTS: 'lookaside.fbsbx.com, https://cdn.example/path' })).toThrow(
      /MEDIA_ALLOWED_HOSTS: "https:\/\/cdn.example\/path" must be a host name/,
    );
  });
});
