// Turns one tenant's template, training data and conversation into the messages sent to the AI.
// It only ever sees what the caller passes in, so it cannot mix tenants' data.
import type { ChatImagePart, ChatMessage } from './aiTypes.js';

export interface PromptTemplate {
  systemPrompt: string | null;
  /** "friendly" | "professional" | "playful", or any other description of a tone. */
  tone: string | null;
  /** Character limit for an answer. */
  maxResponseLength: number | null;
  /** bot_templates.conversation_context: what the assistant should know from earlier
   *  conversations (the spec's "previous conversation summary"), as named facts. */
  conversationContext?: Record<string, unknown>;
  /** bot_templates.metadata (the spec's "custom instructions"): its `instructions`, a text or a
   *  list of texts, are added to the business's rules; other keys are not the prompt's. */
  metadata?: Record<string, unknown>;
}

/** A bot_training_data row as far as the prompt is concerned. */
export interface TrainingEntry {
  question: string | null;
  answer: string | null;
}

export interface HistoryTurn {
  direction: 'inbound' | 'outbound';
  text: string;
}

export interface PromptInput {
  businessName: string;
  /** The tenant's default template, or null for a generic business assistant. */
  template: PromptTemplate | null;
  /** data_type "rule": instructions for the assistant. */
  rules: TrainingEntry[];
  /** data_type "example": question and answer become a user/assistant pair. */
  examples: TrainingEntry[];
  /** FAQs close to the message that were not sent verbatim: reference knowledge. */
  knowledge: TrainingEntry[];
  /** Recent turns of this conversation, oldest first, without the current message. */
  history: HistoryTurn[];
  message: string;
  /** Pictures the customer sent with this message, for a model that reads them. */
  images?: ChatImagePart[];
}

export interface BuiltPrompt {
  messages: ChatMessage[];
  maxTokens: number | null;
}

// Limits that keep a large FAQ or a long conversation from blowing the model's context.
const LIMITS = {
  systemPrompt: 4000,
  rules: 30,
  ruleChars: 500,
  examples: 6,
  exampleChars: 600,
  knowledge: 8,
  knowledgeChars: 1000,
  historyTurns: 10,
  historyChars: 4000,
  turnChars: 1000,
  messageChars: 4096,
  toneChars: 100,
  contextEntries: 20,
  contextEntryChars: 500,
  contextChars: 2000,
  templateInstructions: 10,
} as const;

const TONES: Record<string, string> = {
  friendly: 'Be warm and friendly.',
  professional: 'Be polite, concise and professional.',
  playful: 'Be light-hearted and playful, while still being helpful.',
};

export function buildPrompt(input: PromptInput): BuiltPrompt {
  const business = oneLine(input.businessName) || 'this business';
  const maxLength = validLength(input.template?.maxResponseLength ?? null);
  const examples = input.examples.filter((e) => hasText(e.question) && hasText(e.answer)).slice(0, LIMITS.examples);

  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(input, business, maxLength, examples.length) },
  ];
  for (const example of examples) {
    messages.push({ role: 'user', content: clip(example.question ?? '', LIMITS.exampleChars) });
    messages.push({ role: 'assistant', content: clip(example.answer ?? '', LIMITS.exampleChars) });
  }
  for (const turn of recentHistory(input.history)) {
    pushMerged(messages, { role: turn.direction === 'inbound' ? 'user' : 'assistant', content: turn.text });
  }
  pushMerged(messages, { role: 'user', content: clip(input.message.trim(), LIMITS.messageChars) });
  const last = messages[messages.length - 1];
  // The pictures belong to the customer's last turn, the one being answered.
  if (last && input.images && input.images.length > 0) last.images = [...(last.images ?? []), ...input.images];

  return { messages, maxTokens: maxLength === null ? null : Math.ceil(maxLength / 3) + 16 };
}

function systemPrompt(input: PromptInput, business: string, maxLength: number | null, exampleCount: number): string {
  const own = clip(input.template?.systemPrompt?.trim() ?? '', LIMITS.systemPrompt);
  const parts = [own || `You are a helpful customer service assistant for ${business}.`];

  const rules = [
    `You are answering customers of ${business} on WhatsApp.`,
    `Answer only from the information given here and general knowledge appropriate to a business like ${business}. Never invent prices, availability, opening hours, policies or promises that are not given here.`,
    'If you cannot help, or the customer wants to talk to a person, say so plainly and briefly instead of guessing.',
    "Reply in the customer's language.",
    'Write plain, short text suitable for WhatsApp: no markdown headings, tables or code blocks.',
  ];
  if (maxLength !== null) rules.push(`Keep every answer under ${maxLength} characters.`);
  const tone = toneInstruction(input.template?.tone ?? null);
  if (tone) rules.push(tone);
  parts.push(bullets(rules));

  const instructions = [
    ...templateInstructions(input.template?.metadata),
    ...input.rules
      .map((r) => joinEntry(r, LIMITS.ruleChars))
      .filter((r) => r !== '')
      .slice(0, LIMITS.rules),
  ];
  if (instructions.length > 0) parts.push(`Instructions from ${business}:\n${bullets(instructions)}`);

  const context = contextLines(input.template?.conversationContext);
  if (context.length > 0)
    parts.push(`What you know from earlier conversations with customers of ${business}:\n${bullets(context)}`);

  const knowledge = input.knowledge
    .filter((k) => hasText(k.answer))
    .slice(0, LIMITS.knowledge)
    .map((k) => {
      const answer = `A: ${clip(k.answer?.trim() ?? '', LIMITS.knowledgeChars)}`;
      return hasText(k.question) ? `Q: ${oneLine(k.question ?? '')}\n${answer}` : answer;
    });
  if (knowledge.length > 0) {
    parts.push(`Information about ${business} (use it when it is relevant):\n\n${knowledge.join('\n\n')}`);
  }

  // Without this the model may take the example pairs for things this customer said.
  if (exampleCount > 0) {
    const first =
      exampleCount === 1 ? 'The first exchange is an example' : `The first ${exampleCount} exchanges are examples`;
    parts.push(`${first} of good answers, not part of this conversation.`);
  }
  return parts.join('\n\n');
}

/** metadata.instructions: one text or a list of texts; anything else there is ignored. */
function templateInstructions(metadata: Record<string, unknown> | undefined): string[] {
  const given = metadata?.['instructions'];
  const list = Array.isArray(given) ? given : [given];
  return list
    .filter((item): item is string => typeof item === 'string')
    .map((item) => clip(oneLine(item), LIMITS.ruleChars))
    .filter((item) => item !== '')
    .slice(0, LIMITS.templateInstructions);
}

/** Each entry of the context as "name: value" (a text as written, anything else as JSON), within
 *  caps: the context is the tenant's own text, but an unbounded one would crowd out the rest. */
function contextLines(context: Record<string, unknown> | undefined): string[] {
  const lines: string[] = [];
  let chars = 0;
  for (const [key, value] of Object.entries(context ?? {}).slice(0, LIMITS.contextEntries)) {
    if (value === null || value === undefined || value === '') continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const line = clip(oneLine(`${key.replace(/_/g, ' ')}: ${text}`), LIMITS.contextEntryChars);
    if (chars + line.length > LIMITS.contextChars) break;
    chars += line.length;
    lines.push(line);
  }
  return lines;
}

function toneInstruction(tone: string | null): string | null {
  const key = tone?.trim().toLowerCase() ?? '';
  if (key === '') return null;
  return TONES[key] ?? `Tone: ${clip(oneLine(tone ?? ''), LIMITS.toneChars)}.`;
}

/** The last turns that fit both caps, oldest first, starting with the customer. */
function recentHistory(history: HistoryTurn[]): HistoryTurn[] {
  const kept: HistoryTurn[] = [];
  let chars = 0;
  for (let i = history.length - 1; i >= 0 && kept.length < LIMITS.historyTurns; i--) {
    const turn = history[i];
    const text = clip(turn?.text.trim() ?? '', LIMITS.turnChars);
    if (!turn || text === '') continue;
    if (chars + text.length > LIMITS.historyChars) break;
    chars += text.length;
    kept.unshift({ direction: turn.direction, text });
  }
  // Some models' chat templates require the first turn after the system prompt to be the user's.
  while (kept[0]?.direction === 'outbound') kept.shift();
  return kept;
}

/** Joins consecutive same-role turns, since several providers reject non-alternating roles. */
function pushMerged(messages: ChatMessage[], next: ChatMessage): void {
  const last = messages[messages.length - 1];
  if (last && last.role === next.role && last.role !== 'system') {
    last.content = `${last.content}\n${next.content}`;
  } else {
    messages.push(next);
  }
}

function joinEntry(entry: TrainingEntry, max: number): string {
  const parts = [entry.question, entry.answer].map((p) => p?.trim() ?? '').filter((p) => p !== '');
  // "When asked about refunds: say ..." reads well; "Do you deliver?: ..." does not.
  const separator = /[.:;?!]$/.test(parts[0] ?? '') ? ' ' : ': ';
  return clip(oneLine(parts.join(separator)), max);
}

function bullets(lines: string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}

function validLength(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value >= 1 ? Math.floor(value) : null;
}

function hasText(value: string | null): boolean {
  return (value?.trim() ?? '') !== '';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
