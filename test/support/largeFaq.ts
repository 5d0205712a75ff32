// A big tenant's FAQ, made up but shaped like a shop's catalogue questions: many distinct words
// (product names, model codes), so its index is as large as a real 50,000-question tenant's.
import { sql } from 'drizzle-orm';
import type { AppDb } from '../../src/adapters/db/database.js';
import type { FaqEntry } from '../../src/domain/faqMatcher.js';

const PRODUCTS = [
  'guitar',
  'keyboard',
  'drum kit',
  'violin',
  'saxophone',
  'trumpet',
  'amplifier',
  'microphone',
  'ukulele',
  'cello',
  'flute',
  'piano',
  'mixer',
  'speaker',
  'headphones',
  'capo',
  'metronome',
  'synthesizer',
  'clarinet',
  'harmonica',
];
const COLOURS = ['black', 'white', 'red', 'blue', 'sunburst', 'natural', 'green', 'silver'];
const ASKS = [
  (p: string, c: string, m: string) => `Do you have the ${c} ${p} model ${m} in stock?`,
  (p: string, c: string, m: string) => `How much is the ${p} ${m} in ${c}?`,
  (p: string, _c: string, m: string) => `Is the ${p} ${m} covered by warranty?`,
  (p: string, c: string, m: string) => `Can you deliver a ${c} ${p} ${m} to Mombasa?`,
];

/** `count` distinct FAQ rows; row i always reads the same. */
export function largeFaq(count: number): FaqEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const product = PRODUCTS[i % PRODUCTS.length] ?? 'guitar';
    const colour = COLOURS[Math.floor(i / PRODUCTS.length) % COLOURS.length] ?? 'black';
    const model = `${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}x${Math.floor(i / 676)}`;
    const ask = ASKS[Math.floor(i / 7) % ASKS.length] ?? ASKS[0]!;
    return {
      id: `big-${i}`,
      question: ask(product, colour, model),
      answer: `Yes: the ${colour} ${product} ${model} is KSh ${1_000 + (i % 90) * 500}, in our Westlands shop; ask for item ${i}.`,
      priority: i % 10,
      confidenceScore: 0.9,
    };
  });
}

/** Inserts `count` rows of largeFaq as the tenant's active FAQs, in one statement. */
export async function seedLargeFaq(db: AppDb, tenantId: string, count: number): Promise<void> {
  const rows = largeFaq(count).map(({ question, answer, priority }) => ({ question, answer, priority }));
  await db.execute(sql`
    INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, priority, confidence_score)
    SELECT ${tenantId}::uuid, 'faq', r.question, r.answer, r.priority, 0.9
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(question text, answer text, priority int)`);
}
