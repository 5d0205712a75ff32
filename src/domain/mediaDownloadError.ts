// A media file that could not be fetched from WhatsApp, with whether trying again can help.

// refused: the URL (or a redirect) is not on MEDIA_ALLOWED_HOSTS, so the token is not sent there.
export type MediaDownloadFailure = 'not_found' | 'too_large' | 'expired' | 'timeout' | 'network' | 'http' | 'refused';

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
