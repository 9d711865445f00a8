import { describe, expect, it } from 'vitest';
import { jsonShapeProblem } from './json-shape-problem.js';

const limits = { maxDepth: 4, maxArrayLength: 3 };

describe('jsonShapeProblem', () => {
  it('passes documents within the limits, whatever their strings hold', () => {
    expect(jsonShapeProblem('{"a":[1,2,3],"b":{"c":{"d":"[[[[[[,,,,"}}}', limits)).toBeUndefined();
    expect(jsonShapeProblem('["\\"[[[[[", "x"]', limits)).toBeUndefined();
    expect(jsonShapeProblem('[]', limits)).toBeUndefined();
  });

  it('names where a document nests too deep', () => {
    expect(jsonShapeProblem('{"a":{"b":[{"c":[1]}]}}', limits)).toBe('body.a.b[0].c is nested deeper than 4 levels');
    expect(jsonShapeProblem('['.repeat(1_000_000), { maxDepth: 64, maxArrayLength: 10 })).toMatch(/^body\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]… is nested deeper than 64 levels$/);
  });

  it('names an array with too many items', () => {
    expect(jsonShapeProblem('{"examples":[1,2,3]}', limits)).toBeUndefined();
    expect(jsonShapeProblem('{"examples":[1,2,3,4]}', limits)).toBe('body.examples has more than 3 items');
    expect(jsonShapeProblem('{"x y":[[1,2,3,4]]}', limits)).toBe('body["x y"][0] has more than 3 items');
  });
});
