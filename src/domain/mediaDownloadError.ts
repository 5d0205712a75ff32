// A media file that could not be fetched from WhatsApp, with whether trying again can help.

export type MediaDownloadFailure = 'not_found' | 'too_large' | 'expired' | 'timeout' | 'network' | 'http';

export class MediaDownloadError extends Error {
  constructor(
    message: string,
    readonly reason: MediaDownloadFailure,
    /** False for 404s and oversized files: every retry would fail the same way. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'MediaDownloadError';
  }
}
