// What a picture, document, voice note or video means for the reply. Pictures go to a model that
// can see them, documents' text and voice notes' transcripts are answered like typed text, and
// everything the bot cannot use gets a notice, with any caption still answered. A download that
// may work later is thrown (the queue retries the message); one that never will gets a notice.
import { z } from 'zod';
import { AllProvidersFailedError } from '../../domain/aiTypes.js';
import { DocumentReadError } from '../../domain/documentReadError.js';
import { errorText } from '../../domain/errorText.js';
import { MediaDownloadError } from '../../domain/mediaDownloadError.js';
import { mimeEssence } from '../../domain/mimeEssence.js';
import type { DocumentReader, MediaFetcher, MediaFile, SpeechToText } from './mediaPorts.js';
import { mediaModels, type ServerMediaModels } from './mediaModels.js';
import { mediaNotices, quoted, type MediaWord } from './mediaNotices.js';
import type { ReplyJob } from './ports.js';
import type { Turn } from './turn.js';
import type { MessageUnderstanding, Understanding } from './understanding.js';

export interface MediaUnderstandingOptions {
  fetcher: MediaFetcher;
  speech: SpeechToText;
  documents: DocumentReader;
  /** MEDIA_MAX_BYTES: nothing larger is downloaded. */
  maxBytes: number;
  /** WORKER_MAX_ATTEMPTS: on the last attempt a download that might work later gets a notice instead of silence. */
  maxAttempts: number;
  server: ServerMediaModels;
  logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

// Meta's media objects; anything missing or malformed reads as absent rather than failing the message.
const optionalText = z.string().optional().catch(undefined);
const mediaObjectSchema = z
  .looseObject({
    id: optionalText,
    mime_type: optionalText,
    caption: optionalText,
    filename: optionalText,
    voice: z.boolean().optional().catch(undefined),
  })
  .catch({});

type MediaObject = z.infer<typeof mediaObjectSchema>;
type Download = { ok: true; file: MediaFile } | { ok: false; understanding: Understanding };

const PICTURE_PROMPT = 'The customer sent this picture without a message.';
// Formats vision models take; a phone's HEIC or TIFF would only earn a provider error.
const VISION_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export class MediaUnderstanding implements MessageUnderstanding {
  constructor(private readonly options: MediaUnderstandingOptions) {}

  async understand(turn: Turn): Promise<Understanding> {
    const { job } = turn;
    const media = mediaObjectSchema.parse(job.whatsapp[job.messageType]);
    const caption = media.caption?.trim() || job.text?.trim() || '';
    switch (job.messageType) {
      case 'image':
        return this.picture(turn, media, caption);
      case 'document':
        return this.document(turn, media, caption);
      case 'audio':
        return this.voice(turn, media);
      default:
        // Video, and anything else sent this way: no model here watches it.
        return withCaption(caption, mediaNotices.cannotWatchVideos, mediaNotices.captionOnly('videos'));
    }
  }

  private async picture(turn: Turn, media: MediaObject, caption: string): Promise<Understanding> {
    const { vision } = mediaModels(turn.tenant, this.options.server);
    const type = mimeEssence(media.mime_type);
    if (vision === null || (type !== '' && !VISION_TYPES.has(type))) {
      return withCaption(caption, mediaNotices.cannotSeePictures, mediaNotices.captionOnly('pictures'));
    }
    const download = await this.download(turn, media, 'picture');
    if (!download.ok) return download.understanding;
    const fileType = mimeEssence(download.file.mimeType);
    const mimeType = VISION_TYPES.has(fileType) ? fileType : VISION_TYPES.has(type) ? type : 'image/jpeg';
    return {
      kind: 'ai',
      text: caption || PICTURE_PROMPT,
      images: [{ type: 'image', mimeType, base64: download.file.bytes.toString('base64') }],
      ...(vision.model === undefined ? {} : { model: vision.model }),
    };
  }

  private async document(turn: Turn, media: MediaObject, caption: string): Promise<Understanding> {
    const { job } = turn;
    const name = media.filename?.trim() || null;
    // Without the AI nobody can answer from the text, so there is nothing to download for.
    if (!turn.settings.enableAiResponses) {
      return withCaption(caption, mediaNotices.documentReceived(name), mediaNotices.captionOnly('documents'));
    }
    if (!this.options.documents.canRead(media.mime_type ?? '', name)) {
      return withCaption(
        caption,
        mediaNotices.unreadableDocument(name),
        mediaNotices.captionOnly('this kind of document'),
      );
    }
    const download = await this.download(turn, media, 'document');
    if (!download.ok) return download.understanding;
    const text = await this.documentText(job, { ...download.file, fileName: name ?? download.file.fileName });
    if (typeof text === 'object' && text !== null) {
      return caption
        ? { kind: 'text', text: caption, note: mediaNotices.couldNotReadNote }
        : notice(mediaNotices.couldNotRead(name), text.error);
    }
    if (text === null) {
      return withCaption(
        caption,
        mediaNotices.unreadableDocument(name),
        mediaNotices.captionOnly('this kind of document'),
      );
    }
    if (text === '') {
      this.options.logger.info(
        { tenantId: job.tenantId, messageId: job.whatsappMessageId },
        'document has no readable text',
      );
      return withCaption(
        caption,
        mediaNotices.documentWithoutText(name),
        mediaNotices.captionOnly('scanned documents'),
      );
    }
    // The question goes first: if anything is cut for length, it is the end of the document.
    const prompt = caption
      ? `${caption}\n\n(The customer sent this with the document${quoted(name)}. Answer from its text, which follows.)\n"""\n${text}\n"""`
      : `The customer sent the document${quoted(name)} without a message. Summarise it in two or three sentences and ask what they need help with.\n"""\n${text}\n"""`;
    return { kind: 'ai', text: prompt, images: [] };
  }

  /** The text, or why reading it was given up: a limit was reached (or, on the last attempt, every parse slot stayed busy). */
  private async documentText(job: ReplyJob, file: MediaFile): Promise<string | null | { error: string }> {
    try {
      return await this.options.documents.textOf(file);
    } catch (err) {
      if (!(err instanceof DocumentReadError)) throw err;
      if (err.retryable && job.attempts < this.options.maxAttempts) throw err;
      this.options.logger.warn(
        { tenantId: job.tenantId, messageId: job.whatsappMessageId, reason: err.reason, error: err.message },
        'document could not be read within its limits',
      );
      return { error: err.message };
    }
  }

  private async voice(turn: Turn, media: MediaObject): Promise<Understanding> {
    const { job } = turn;
    // Recorded voice notes are Opus in Ogg; older webhooks do not say `voice: true`.
    const what = media.voice === true || /opus/i.test(media.mime_type ?? '') ? 'voice note' : 'audio';
    const { transcription } = mediaModels(turn.tenant, this.options.server);
    if (transcription.length === 0) return notice(mediaNotices.cannotListen(what), null);
    const download = await this.download(turn, media, what);
    if (!download.ok) return download.understanding;
    let transcript: string;
    try {
      transcript = (await this.options.speech.transcribe(transcription, download.file)).text.trim();
    } catch (err) {
      if (!(err instanceof AllProvidersFailedError)) throw err;
      this.options.logger.warn(
        { tenantId: job.tenantId, messageId: job.whatsappMessageId, error: err.message },
        'voice note could not be transcribed',
      );
      return notice(mediaNotices.cannotListen(what), err.message);
    }
    return transcript
      ? { kind: 'text', text: transcript }
      : notice(mediaNotices.couldNotHear, 'the transcript was empty');
  }

  private async download(turn: Turn, media: MediaObject, what: MediaWord): Promise<Download> {
    const { job, tenant: context, log } = turn;
    const mediaId = media.id?.trim();
    if (!mediaId)
      return {
        ok: false,
        understanding: notice(mediaNotices.couldNotOpen(what), `the ${job.messageType} message carries no media id`),
      };
    if (!context.credentials) {
      return {
        ok: false,
        understanding: notice(
          mediaNotices.couldNotOpen(what),
          'tenant has no WhatsApp phone number id or access token',
        ),
      };
    }
    try {
      const file = await this.options.fetcher.fetch(context.credentials, mediaId, { maxBytes: this.options.maxBytes });
      return { ok: true, file: { ...file, fileName: media.filename?.trim() || file.fileName } };
    } catch (err) {
      if (!(err instanceof MediaDownloadError)) throw err;
      // Retryable failures go up, so the message stays pending and is tried again later; but
      // the last attempt answers, since a message failed for good would leave the customer unanswered.
      if (err.retryable && job.attempts < this.options.maxAttempts) throw err;
      this.options.logger.warn(
        { ...log, mediaId, reason: err.reason, error: errorText(err) },
        'media could not be downloaded',
      );
      const text =
        err.reason === 'too_large'
          ? mediaNotices.tooLarge(what, this.options.maxBytes)
          : mediaNotices.couldNotOpen(what);
      return { ok: false, understanding: notice(text, err.message) };
    }
  }
}

/** The caption answered as text after a note, or the notice alone when there is none. */
function withCaption(caption: string, alone: string, note: string): Understanding {
  return caption ? { kind: 'text', text: caption, note } : notice(alone, null);
}

function notice(text: string, error: string | null): Understanding {
  return {
    kind: 'reply',
    reply: { text, source: 'notice', trainingDataId: null, aiModelUsed: null, templateUsed: null, error },
  };
}
