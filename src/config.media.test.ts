import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('media settings', () => {
  it('default to 20 MB, 30 s, no vision model and whisper-1', () => {
    expect(loadConfig({}).media).toEqual({
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
    expect(config.media).toEqual({
      maxBytes: 5_242_880,
      downloadTimeoutMs: 10_000,
      documents: { timeoutMs: 5_000, maxMemoryMb: 128, maxPages: 5, maxChars: 4_000 },
      visionModel: 'openrouter:qwen/qwen2.5-vl-72b-instruct',
      transcriptionModel: null,
    });
    expect(loadConfig({ AI_VISION_MODEL: '  ', AI_TRANSCRIPTION_MODEL: 'OFF' }).media).toMatchObject({ visionModel: null, transcriptionModel: null });
  });

  it('refuse a size or timeout that is not a whole number, naming the setting', () => {
    expect(() => loadConfig({ MEDIA_MAX_BYTES: '20MB' })).toThrow(ConfigError);
    expect(() => loadConfig({ MEDIA_MAX_BYTES: '20MB' })).toThrow(/MEDIA_MAX_BYTES: must be a non-negative integer, got "20MB"/);
    expect(() => loadConfig({ MEDIA_DOWNLOAD_TIMEOUT_MS: '-1' })).toThrow(/MEDIA_DOWNLOAD_TIMEOUT_MS/);
    expect(() => loadConfig({ DOCUMENT_PARSE_MAX_MEMORY_MB: '256MB' })).toThrow(/DOCUMENT_PARSE_MAX_MEMORY_MB: must be a non-negative integer/);
  });
});
