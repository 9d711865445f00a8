// Cost of a review queue agreement report and its parts (issue 21 item 6): `npm run build && node bench/review-agreement-cost.mjs`.
import { agreementReport } from '../dist/core/agreement/agreement-report.js';
import { labelIntervals } from '../dist/core/agreement/label-intervals.js';
import { pairwiseKappa } from '../dist/core/agreement/pairwise-kappa.js';
import { buildRatingTable } from '../dist/core/agreement/rating-table.js';
const n = 1000, cats = ['a', 'b', 'c', 'd', 'e'], ratings = [];
let s = 7;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let i = 0; i < n; i++) for (const r of ['ann', 'bo', 'cy']) ratings.push({ item: `i${i}`, rater: r, label: cats[Math.floor(rnd() * 5)] });
const table = buildRatingTable(ratings, cats);
const time = (name, f) => { const t = performance.now(); f(); console.log(name, (performance.now() - t).toFixed(0), 'ms'); };
time('whole report', () => agreementReport(ratings, { categories: cats, ordinal: true }));
time('labelIntervals', () => labelIntervals(table));
time('pairwiseKappa', () => pairwiseKappa(table, true));
