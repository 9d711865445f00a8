import { EvalOpsError } from '../errors.js';

/**
 * The input of every agreement statistic: items × raters, each cell a label or missing.
 */

/** One rater's label for one item. */
export interface Rating {
  readonly item: string;
  readonly rater: string;
  readonly label: string;
}

/**
 * Per item, how many ratings fell in each category. This is all that percent agreement, Fleiss'
 * kappa and Krippendorff's alpha need (they ignore who gave which rating), and it is the form in
 * which published agreement tables are printed.
 */
export interface CategoryCounts {
  /** The categories, ordered worst → best when the scale is ordinal. */
  readonly categories: readonly string[];
  /** Item ids, one per row of `counts`. */
  readonly items: readonly string[];
  /** counts[i][k]: the number of ratings of item i in category k. */
  readonly counts: readonly (readonly number[])[];
}

/** Ratings as a matrix: who gave which label to which item (Cohen's kappa needs the raters). */
export interface RatingTable extends CategoryCounts {
  /** Rater ids in the order they first appear in the ratings. */
  readonly raters: readonly string[];
  /** labels[i][r]: the index in `categories` of rater r's label for item i, or null when missing. */
  readonly labels: readonly (readonly (number | null)[])[];
  readonly nRatings: number;
}

/**
 * Turns a list of ratings into a {@link RatingTable}. Items and raters keep the order in which they
 * first appear, so the same list always gives the same table.
 *
 * Throws EvalOpsError('input') for an empty or repeated category, a label that is not one of the
 * categories, or a rater who rated the same item twice (which rating counts is not ours to guess).
 * @example
 * buildRatingTable(
 *   [{ item: 'q1', rater: 'ann', label: 'pass' }, { item: 'q1', rater: 'bo', label: 'fail' }],
 *   ['fail', 'pass'],
 * ).counts // [[1, 1]]
 */
export function buildRatingTable(ratings: readonly Rating[], categories: readonly string[]): RatingTable {
  const categoryIndex = indexCategories(categories);
  const itemIndex = new Map<string, number>();
  const raterIndex = new Map<string, number>();
  const cells: { item: number; rater: number; category: number }[] = [];
  ratings.forEach((r, position) => {
    const category = categoryIndex.get(r.label);
    if (category === undefined) {
      throw new EvalOpsError('input', `rating ${position} (item "${r.item}", rater "${r.rater}") has label "${r.label}", which is not one of the categories ${JSON.stringify(categories)}`, {
        details: { position, item: r.item, rater: r.rater, label: r.label },
      });
    }
    if (!itemIndex.has(r.item)) itemIndex.set(r.item, itemIndex.size);
    if (!raterIndex.has(r.rater)) raterIndex.set(r.rater, raterIndex.size);
    cells.push({ item: itemIndex.get(r.item) as number, rater: raterIndex.get(r.rater) as number, category });
  });

  const items = [...itemIndex.keys()];
  const raters = [...raterIndex.keys()];
  const labels = items.map(() => new Array<number | null>(raters.length).fill(null));
  const counts = items.map(() => new Array<number>(categories.length).fill(0));
  for (const cell of cells) {
    const row = labels[cell.item] as (number | null)[];
    if (row[cell.rater] !== null) {
      const item = items[cell.item] as string;
      const rater = raters[cell.rater] as string;
      throw new EvalOpsError('input', `rater "${rater}" rated item "${item}" more than once`, { details: { item, rater } });
    }
    row[cell.rater] = cell.category;
    (counts[cell.item] as number[])[cell.category]! += 1;
  }
  return { categories: [...categories], items, raters, labels, counts, nRatings: cells.length };
}

/**
 * Checks a hand-made {@link CategoryCounts} (a published table, say): distinct categories, one row
 * of `categories.length` non-negative whole numbers per item. Throws EvalOpsError('input').
 * @example assertCategoryCounts({ categories: ['a', 'b'], items: ['x'], counts: [[2, 1]] })
 */
export function assertCategoryCounts(table: CategoryCounts): void {
  indexCategories(table.categories);
  if (table.items.length !== table.counts.length) {
    throw new EvalOpsError('input', `the table has ${table.items.length} items but ${table.counts.length} rows of counts`);
  }
  table.counts.forEach((row, i) => {
    if (row.length !== table.categories.length) {
      throw new EvalOpsError('input', `row ${i} has ${row.length} counts; it needs one per category (${table.categories.length})`);
    }
    row.forEach((c, k) => {
      if (!(Number.isInteger(c) && c >= 0)) throw new EvalOpsError('input', `count [${i}][${k}] is ${c}; counts must be whole numbers ≥ 0`);
    });
  });
}

function indexCategories(categories: readonly string[]): Map<string, number> {
  if (categories.length === 0) throw new EvalOpsError('input', 'the category list is empty');
  const index = new Map<string, number>();
  categories.forEach((c, k) => {
    if (index.has(c)) throw new EvalOpsError('input', `category "${c}" appears twice in the category list`);
    index.set(c, k);
  });
  return index;
}
