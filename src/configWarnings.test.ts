import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { featureWarnings } from './configWarnings.js';

const everything = {
  ADMIN_API_TOKEN: 'admin-token-0123456789abcdef-0123456789',
  OPENROUTER_API_KEY: 'sk-or-server-key-WXYZ',
  SMTP_URL: 'smtp://mail.example.test:587',
  ESCALATION_FROM: 'bot@example.test',
  WEBHOOK_VERIFY_TOKEN: 'verify-token-value',
  AI_VISION_MODEL: 'gpt-4o-mini',
};

describe('feature warnings at start', () => {
  it('names each unset setting that turns a feature off, one line each, and no value', () => {
    const warnings = featureWarnings(loadConfig({ AI_TRANSCRIPTION_MODEL: 'none' }));
    expect(warnings.map((w) => w.split(' ')[0])).toEqual([
      'ADMIN_API_TOKEN',
      'none',
      'SMTP_URL',
      'WEBHOOK_VERIFY_TOKEN',
      'AI_VISION_MODEL',
      'AI_TRANSCRIPTION_MODEL',
    ]);
    expect(warnings[1]).toContain('OPENAI_API_KEY, OPENROUTER_API_KEY, HUGGINGFACE_API_KEY');
    for (const warning of warnings) expect(warning).not.toContain('\n');
  });

  it('says nothing when every feature has its setting, and repeats no value it was given', () => {
    expect(featureWarnings(loadConfig(everything))).toEqual([]);
    const some = featureWarnings(loadConfig({ ...everything, ADMIN_API_TOKEN: '', SMTP_URL: ' ' }));
    expect(some.map((w) => w.split(' ')[0])).toEqual(['ADMIN_API_TOKEN', 'SMTP_URL']);
    for (const value of Object.values(everything)) expect(some.join('\n')).not.toContain(value);
  });
});
