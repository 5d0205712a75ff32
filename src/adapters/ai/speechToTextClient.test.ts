import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AllProvidersFailedError, type AiTarget } from '../../domain/aiTypes.js';
import { FakeAiProvider } from '../../../test/fakes/fakeAiProvider.js';
import { SpeechToTextClient } from './speechToTextClient.js';

const voice = { bytes: Buffer.from('OggS fake opus'), mimeType: 'audio/ogg; codecs=opus', fileName: null };

let openai: FakeAiProvider;
let huggingface: FakeAiProvider;
let client: SpeechToTextClient;
let warnings: object[];

beforeEach(async () => {
  openai = new FakeAiProvider('openai');
  huggingface = new FakeAiProvider('huggingface');
  warnings = [];
  client = new SpeechToTextClient({
    baseUrls: {
      openai: await openai.start(),
      openrouter: 'http://127.0.0.1:9/v1',
      huggingface: await huggingface.start(),
    },
    timeoutMs: 2_000,
    logger: { warn: (obj) => warnings.push(obj) },
  });
});

afterEach(async () => {
  await Promise.all([openai.stop(), huggingface.stop()]);
});

const whisper: AiTarget = { provider: 'openai', model: 'whisper-1', apiKey: 'sk-live-secret-key-123456' };
const hfWhisper: AiTarget = { provider: 'huggingface', model: 'openai/whisper-large-v3', apiKey: 'hf_secretsecret' };

describe('SpeechToTextClient', () => {
  it("uploads the audio with a name providers recognise and returns the provider's transcript", async () => {
    openai.transcript = '  Do you deliver to Kisumu?  ';
    expect(await client.transcribe([whisper], voice)).toEqual({
      text: 'Do you deliver to Kisumu?',
      provider: 'openai',
      model: 'whisper-1',
    });
    const [upload] = openai.transcriptions;
    expect(upload).toMatchObject({
      model: 'whisper-1',
      fileName: 'voice-note.ogg',
      authorization: 'Bearer sk-live-secret-key-123456',
    });
    expect(upload?.mimeType).toMatch(/^audio\/ogg/);
    expect(upload?.bytes.equals(voice.bytes)).toBe(true);
  });

  it('keeps a file name that has an extension, and names other formats by their type', async () => {
    await client.transcribe([whisper], { ...voice, fileName: 'memo.m4a', mimeType: 'audio/mp4' });
    await client.transcribe([whisper], { ...voice, fileName: 'recording', mimeType: 'audio/mpeg' });
    expect(openai.transcriptions.map((u) => u.fileName)).toEqual(['memo.m4a', 'recording.mp3']);
  });

  it('asks the next target when one fails, and says which failed', async () => {
    openai.failTranscriptions(1, { status: 503 });
    huggingface.transcript = 'Habari';
    expect(await client.transcribe([whisper, hfWhisper], voice)).toEqual({
      text: 'Habari',
      provider: 'huggingface',
      model: 'openai/whisper-large-v3',
    });
    expect(warnings).toMatchObject([
      { provider: 'openai', model: 'whisper-1', error: expect.stringContaining('HTTP 503') },
    ]);
  });

  it('counts a blank transcript as a failure', async () => {
    openai.transcript = '   ';
    huggingface.transcript = 'Second opinion';
    expect((await client.transcribe([whisper, hfWhisper], voice)).text).toBe('Second opinion');
  });

  it('rejects with every attempt when all fail, never echoing a key', async () => {
    openai.failTranscriptions('all', {
      status: 401,
      body: { error: { message: 'Incorrect API key provided: sk-live-secret-key-123456' } },
    });
    huggingface.failTranscriptions('all', { status: 500 });
    const error = await client.transcribe([whisper, hfWhisper], voice).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AllProvidersFailedError);
    const failures = (error as AllProvidersFailedError).failures;
    expect(failures.map((f) => f.provider)).toEqual(['openai', 'huggingface']);
    expect(JSON.stringify(failures)).not.toContain('sk-live-secret-key-123456');
    expect(failures[0]?.error).toContain('HTTP 401');
  });

  it('rejects at once when there is no target', async () => {
    await expect(client.transcribe([], voice)).rejects.toThrow('No AI provider is configured');
  });
});
