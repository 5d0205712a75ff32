// AI models answer in Markdown; WhatsApp has its own, smaller formatting: *bold*, _italic_,
// ~strike~, ```monospace```, `inline code`, "> " quotes and plain lists. This turns the one into the
// other so customers see emphasis instead of stray asterisks. Code and links are never touched
// inside (an underscore in a URL is not italics).

const BOLD = '\u0001';
const HOLD = '\u0002';

/** Markdown → WhatsApp formatting. Text without Markdown comes back as it went in (trimmed lines aside). */
export function toWhatsApp(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence?.[1]) {
      // A fenced block keeps its content byte for byte; the language tag has no meaning on WhatsApp.
      const close = lines.findIndex((l, j) => j > i && l.trim().startsWith(fence[1] ?? '```'));
      const end = close === -1 ? lines.length : close;
      out.push(['```', ...lines.slice(i + 1, end), '```'].join('\n'));
      i = end;
      continue;
    }
    out.push(convertLine(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function convertLine(line: string): string {
  // Horizontal rules carry nothing on WhatsApp and would read as stray symbols.
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return '';
  const held: string[] = [];
  const hold = (text: string) => `${HOLD}${held.push(text) - 1}${HOLD}`;

  let text = line
    // Inline code stays exactly as written (WhatsApp shows `code` too).
    .replace(/`[^`\n]+`/g, (code) => hold(code))
    // ![alt](url) and [text](url) → "text (url)"; a link whose text is its URL is written once.
    .replace(/!?\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_, label: string, url: string) => {
      const words = label.trim();
      return words && words !== url ? `${words} (${hold(url)})` : hold(url);
    })
    .replace(/<?(https?:\/\/[^\s<>()]+(?:\([^\s<>()]*\))?[^\s<>()]*)>?/g, (_, url: string) => hold(url));

  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
  if (heading) {
    const title = inline(heading[1] ?? '')
      .replace(/^\*(.*)\*$/, '$1')
      .replace(/\*/g, '');
    text = title ? `*${title}*` : '';
  } else {
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(text);
    text = bullet ? `${bullet[1] ?? ''}• ${inline(bullet[2] ?? '')}` : inline(text);
  }
  return text.replace(new RegExp(`${HOLD}(\\d+)${HOLD}`, 'g'), (_, n: string) => held[Number(n)] ?? '');
}

/** Emphasis within one line: bold first (so its asterisks are not read as italics), then the rest. */
function inline(text: string): string {
  return text
    .replace(/\*\*\*(?=\S)(.+?)(?<=\S)\*\*\*/g, `${BOLD}_$1_${BOLD}`)
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<![\w*])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![\w*])/g, '_$1_')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
    .replace(new RegExp(BOLD, 'g'), '*');
}
