// The fixed words the customer hears about media the bot cannot use. Each one thanks, says what
// happened and what to do instead.

/** How the customer would call what they sent. */
export type MediaWord = 'picture' | 'document' | 'voice note' | 'audio' | 'video';

export const mediaNotices = {
  cannotSeePictures:
    "Thanks for the picture! I can't look at pictures yet, so please tell me in a message what you need.",
  cannotWatchVideos: "Thanks for the video! I can't watch videos yet, so please tell me in a message what you need.",
  cannotListen: (what: 'voice note' | 'audio') =>
    `Thanks for your ${what}! I can't listen to ${what === 'audio' ? 'audio' : 'voice notes'} yet, so please type your message.`,
  couldNotHear: "Sorry, I couldn't make out your voice note. Could you type your message, please?",
  unreadableDocument: (name: string | null) =>
    `Thanks, we received your document${quoted(name)}. I can only read PDF and text files, so please tell me in a message what you need.`,
  documentWithoutText: (name: string | null) =>
    `Thanks for the document${quoted(name)}. I couldn't find any text in it (it may be a scan or protected), so please tell me in a message what you need.`,
  couldNotRead: (name: string | null) =>
    `Sorry, I couldn't read that file${quoted(name)}: it is too big or too complex for me. Could you tell me in a message what you need?`,
  documentReceived: (name: string | null) =>
    `Thanks, we received your document${quoted(name)}. Please tell me in a message what you need.`,
  couldNotOpen: (what: MediaWord) => `Sorry, I couldn't open the ${what} you sent. Could you send it again?`,
  tooLarge: (what: MediaWord, maxBytes: number) =>
    `Sorry, the ${what} you sent is too large for me to open (the limit is ${megabytes(maxBytes)} MB). Could you send a smaller one, or tell me in a message what you need?`,

  /** Put before the answer to a caption when the document was too costly to read. */
  couldNotReadNote: "(I couldn't read that file, so this answer is based on your message only.)",

  /** Put before the answer to a caption when the media itself could not be used. */
  captionOnly: (what: string) => `(I can't open ${what} yet, so this answer is based on your message only.)`,
};

/** ` "name"` to follow "the document", or nothing. */
export function quoted(name: string | null): string {
  const clean = name?.replace(/\s+/g, ' ').trim().slice(0, 120);
  return clean ? ` "${clean}"` : '';
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? String(Math.round(mb)) : String(Math.round(mb * 10) / 10);
}
