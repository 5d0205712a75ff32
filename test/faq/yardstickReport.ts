// `npm run eval:faq`: the yardstick's figures for today's matcher, dev and test side by side, as the
// Markdown table the README shows, with the offline word vectors the server loads (as it runs once they
// are loaded; `--lexical` leaves them out). `--misses` also lists the dev part's misses (never tune on test's).
import { yardstickBusinesses, yardstickSlices } from './yardstick/index.js';
import { testWordVectors } from '../support/wordVectorsForTests.js';
import { evaluateYardstick, type SliceFigures, type SplitFigures } from './yardstickEvaluation.js';

const ratio = (part: number, whole: number): string => (whole === 0 ? '–' : (part / whole).toFixed(3));

function cell(figures: SliceFigures, positive: boolean): string {
  return positive
    ? `${figures.right} / ${figures.labelled} right (${ratio(figures.right, figures.labelled)}), ${figures.wrong} wrong`
    : `${figures.answered} / ${figures.messages} answered`;
}

function summary(split: SplitFigures): string {
  const { overall } = split;
  return `precision ${split.precision.toFixed(3)}, recall ${split.recall.toFixed(3)}, ${overall.wrong} wrong verbatim answers, ${split.otherTenantAnswers} other-tenant answers (${overall.messages} messages)`;
}

const vectors = process.argv.includes('--lexical') ? null : (await testWordVectors()).table;
const figures = await evaluateYardstick(yardstickBusinesses, vectors);
const lines = ['| slice | dev | test |', '|---|---|---|'];
for (const slice of yardstickSlices) {
  const positive = figures.dev.slices[slice].labelled > 0;
  lines.push(
    `| ${slice} | ${cell(figures.dev.slices[slice], positive)} | ${cell(figures.test.slices[slice], positive)} |`,
  );
}
lines.push(`| **overall** | ${summary(figures.dev)} | ${summary(figures.test)} |`);
console.log(lines.join('\n'));

if (process.argv.includes('--misses')) {
  console.log('\nDev misses:');
  for (const miss of figures.misses.filter((m) => m.split === 'dev')) {
    console.log(
      `${miss.business} [${miss.slice}] "${miss.text}": expected ${miss.expected ?? 'none'}, got ${miss.answered ?? 'none'}`,
    );
  }
}
