// A message text shown at most CLIP_CHARS long, with "Show more" for the rest. A webhook body may
// be 3 MB, one message nearly all of it: unclipped, a single row would be millions of pixels tall.
// Opened, the whole text scrolls inside a box of bounded height, so the page keeps its length.
import { useState } from 'preact/hooks';
import { format } from './format.js';

export const CLIP_CHARS = 1000;

export function ClippedText({ text, class: className }: { text: string; class: string }) {
  const [open, setOpen] = useState(false);
  if (text.length <= CLIP_CHARS) return <p class={className}>{text}</p>;
  const hidden = text.length - clipEnd(text);
  return (
    <div class="clipped">
      {open ? (
        <p class={`${className} clip-open`}>{text}</p>
      ) : (
        <p class={className}>{`${text.slice(0, clipEnd(text))}…`}</p>
      )}
      <button type="button" class="show-more" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Show less' : `Show more (${format.count(hidden)} more characters)`}
      </button>
    </div>
  );
}

/** Where the clipped text ends: never between the two halves of an emoji or other surrogate pair. */
function clipEnd(text: string): number {
  const code = text.charCodeAt(CLIP_CHARS - 1);
  return code >= 0xd800 && code <= 0xdbff ? CLIP_CHARS - 1 : CLIP_CHARS;
}
