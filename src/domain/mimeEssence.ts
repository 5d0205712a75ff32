// A MIME type without its parameters, lower-cased ("audio/ogg; codecs=opus" → "audio/ogg"): Meta
// and phones send parameters and odd case, and type checks compare only the essence.
export function mimeEssence(mimeType: string | undefined): string {
  return mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
}
