// Whether a customer is asking for a person rather than the bot, in English or Swahili.
// Whole words only, so "humanity" or "agents of change" in a longer question do not count.

const PHRASES = [
  // English
  'human',
  'a human',
  'agent',
  'live agent',
  'real person',
  'a person',
  'someone',
  'somebody',
  'customer care',
  'customer service',
  'customer support',
  'representative',
  'operator',
  'staff member',
  // Swahili
  'mtu halisi',
  'wakala',
  'huduma kwa wateja',
  'binadamu',
  'mhudumu',
];

// Compiled once: this runs on every text message.
const PHRASE_PATTERNS = PHRASES.map((phrase) => ({ phrase, pattern: new RegExp(`\\b${phrase}\\b`) }));

// A person-ish word alone is not enough for the generic ones: "someone stole my order" is not a request.
const GENERIC = new Set(['a person', 'someone', 'somebody']);
const ASKING = /\b(talk|speak|chat|connect|transfer|put me through|get me|want|need|give me)\b/;
const SWAHILI_ASKING =
  /\b(nataka|naomba|nipe|niunganishe)?\s*(kuongea|kuzungumza|kuongelea)\s+na\s+(mtu|binadamu|mhudumu|wakala)\b/;

function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function asksForHuman(text: string): boolean {
  const t = normalise(text);
  if (!t) return false;
  if (SWAHILI_ASKING.test(t)) return true;
  return PHRASE_PATTERNS.some(({ phrase, pattern }) => {
    if (!pattern.test(t)) return false;
    return !GENERIC.has(phrase) || ASKING.test(t);
  });
}
