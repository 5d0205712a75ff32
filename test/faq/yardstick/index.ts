// The FAQ yardstick: customer messages for several kinds of Kenyan business, each labelled
// with the FAQ that should answer it (or null when no FAQ should). It was written without
// looking at the matcher, its vocabulary or the older evaluation sets, so that it measures how
// the matcher generalises rather than how well it was tuned. Tune on `dev`; only report `test`.
import { dentalClinic } from './dentalClinic.js';
import { musicShop } from './musicShop.js';
import { privateSchool } from './privateSchool.js';
import { restaurant } from './restaurant.js';
import { salon } from './salon.js';
import { transportSacco } from './transportSacco.js';

export type YardstickSlice =
  | 'paraphrase' // ordinary English rewordings, synonyms, word forms, products under a category
  | 'casual' // typos, SMS spelling, lowercase, no punctuation
  | 'swahili' // Swahili, Sheng, and English mixed with either
  | 'verbatim' // close to the FAQ's own wording
  | 'negative' // nothing to do with the business
  | 'hard_negative' // shares words with an FAQ but asks something else
  | 'other_tenant'; // belongs to another business's FAQ

export const yardstickSlices: readonly YardstickSlice[] = [
  'paraphrase',
  'casual',
  'swahili',
  'verbatim',
  'negative',
  'hard_negative',
  'other_tenant',
];

export type YardstickSplit = 'dev' | 'test';

/** One FAQ row as the business typed it (the columns of bot_training_data it fills). */
export interface YardstickFaq {
  /** Stable label the messages point at; not part of the row. */
  key: string;
  question: string;
  answer: string;
  category?: string;
  priority?: number;
  /** Alternative wordings of the question the business gave, if any. */
  variants?: string[];
}

export interface YardstickMessage {
  text: string;
  /** Key of the FAQ that should answer, or null when no FAQ answer should be sent. */
  faq: string | null;
  slice: YardstickSlice;
  split: YardstickSplit;
}

export interface YardstickBusiness {
  key: string;
  name: string;
  faqs: YardstickFaq[];
  messages: YardstickMessage[];
}

export const yardstickBusinesses: readonly YardstickBusiness[] = [
  musicShop,
  dentalClinic,
  salon,
  restaurant,
  privateSchool,
  transportSacco,
];
