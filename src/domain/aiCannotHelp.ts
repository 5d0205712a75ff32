// Whether an AI answer admits it cannot help. Deliberately narrow: a false positive pauses the bot
// for a customer who was being helped, so only first-person refusals and "contact us" count.

const PATTERNS = [
  /\bi (?:can ?not|can't|cannot) (?:help|assist) (?:you )?with (?:that|this)\b/,
  /\bi(?:'m| am) (?:not able|unable) to (?:help|assist|answer|provide|do|check|access|process)\b/,
  /\bi (?:do not|don't) have (?:access to |any )?(?:that|this|the) (?:information|details)\b/,
  /\bplease contact (?:us|our|the (?:store|shop|team|office)|customer)\b/,
];

export function aiCannotHelp(answer: string): boolean {
  const t = answer
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ');
  return PATTERNS.some((pattern) => pattern.test(t));
}
