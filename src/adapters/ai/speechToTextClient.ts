// Voice notes to text through each provider's OpenAI-compatible /audio/transcriptions, the next
// target taking over when one fails: the SpeechToText the media understanding uses.
import { AI_PROVIDERS, AllProvidersFailedError } from '../../domain/aiTypes.js';
import type { AiAttemptFailure, AiProviderName, AiTarget } from '../../domain/aiTypes.js';
import { mimeEssence } from '../../domain/mimeEssence.js';
import type { MediaFile, SpeechToText } from '../../modules/replies/mediaPorts.js';
import { AiProviderError, OpenAiCompatibleClient } from './openAiCompatibleClient.js';

export interface SpeechToTextClientOptions {
  baseUrls: Record<AiProviderName, string>;
  /** Per attempt; audio takes longer than a chat answer. */
  timeoutMs: number;
  logger?: { warn(obj: object, msg: string): void };
}

// Providers guess the audio format from the file name, and WhatsApp sends none for voice notes.
const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
};

export class SpeechToTextClient implements SpeechToText {
  private readonly clients: Record<AiProviderName, OpenAiCompatibleClient>;
  private readonly logger: SpeechToTextClientOptions['logger'];

  constructor(options: SpeechToTextClientOptions) {
    const entry = (provider: AiProviderName) => [
      provider,
      new OpenAiCompatibleClient({ provider, baseUrl: options.baseUrls[provider], timeoutMs: options.timeoutMs }),
    ];
    this.clients = Object.fromEntries(AI_PROVIDERS.map(entry)) as Record<AiProviderName, OpenAiCompatibleClient>;
    this.logger = options.logger;
  }

  async transcribe(targets: AiTarget[], audio: MediaFile): Promise<{ text: string; provider: string; model: string }> {
    const failures: AiAttemptFailure[] = [];
    const file = { bytes: audio.bytes, mimeType: audio.mimeType, fileName: fileNameFor(audio) };
    for (const target of targets) {
      try {
        const text = await this.clients[target.provider].transcribe(target, file);
        return { text, provider: target.provider, model: target.model };
      } catch (err) {
        // The client's errors are already secret-free; anything else is a bug, named but not echoed.
        const error =
          err instanceof AiProviderError ? err.message : `unexpected ${err instanceof Error ? err.name : 'error'}`;
        const failure = { provider: target.provider, model: target.model, error };
        failures.push(failure);
        this.logger?.warn(failure, 'speech-to-text attempt failed');
      }
    }
    throw new AllProvidersFailedError(failures);
  }
}

function fileNameFor(audio: MediaFile): string {
  const given = audio.fileName?.trim();
  if (given && /\.[a-z0-9]{2,5}$/i.test(given)) return given;
  return `${given || 'voice-note'}.${EXTENSIONS[mimeEssence(audio.mimeType)] ?? 'ogg'}`;
}
