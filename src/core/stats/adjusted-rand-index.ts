/**
 * The adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985): 1 when they
 * agree, about 0 for independent labellings, negative when worse than chance. Labels are compared
 * only for equality, so any label values work.
 * @example adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]) // 0.5714…
 */
export function adjustedRandIndex(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length !== b.length) throw new RangeError(`the partitions label ${a.length} and ${b.length} items`);
  const n = a.length;
  const pairs = (k: number): number => (k * (k - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    const key = `${typeof x}:${String(x)}\u0000${typeof y}:${String(y)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(x, (rows.get(x) ?? 0) + 1);
    cols.set(y, (cols.get(y) ?? 0) + 1);
  }
  let index = 0;
  for (const c of cells.values()) index += pairs(c);
  let sumRows = 0;
  for (const c of rows.values()) sumRows += pairs(c);
  let sumCols = 0;
  for (const c of cols.values()) sumCols += pairs(c);
  const total = pairs(n);
  const expected = total === 0 ? 0 : (sumRows * sumCols) / total;
  const max = (sumRows + sumCols) / 2;
  // Both partitions trivial in the same way (all singletons, or one cluster): they agree perfectly.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
