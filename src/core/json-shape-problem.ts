/** Bounds on the shape of a JSON document, checked before it is parsed. */
export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
  /** Most items in one array. */
  readonly maxArrayLength: number;
}

type Frame = { array: true; index: number } | { array: false; key: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Why `text` breaks the limits, naming where (`body.examples[3].input…`), or undefined when it keeps
 * them. A linear scan with no recursion and no allocation per value, so a hostile document (a
 * megabyte of `[`) costs one pass; it does not validate the JSON, JSON.parse does that afterwards.
 * Deep documents are refused because code that walks values recursively (stringify, zod, storage)
 * would overflow the stack on them.
 * @example jsonShapeProblem('[[[1]]]', { maxDepth: 2, maxArrayLength: 10 }) // 'body[0] is nested deeper than 2 levels'
 */
export function jsonShapeProblem(text: string, limits: JsonShapeLimits, root = 'body'): string | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== QUOTE) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top && !top.array) top.key = text.slice(i + 1, Math.min(j, i + 41));
      i = j;
      continue;
    }
    switch (text[i]) {
      case '{':
      case '[':
        if (stack.length >= limits.maxDepth) return `${pathOf(root, stack)} is nested deeper than ${limits.maxDepth} levels`;
        stack.push(text[i] === '[' ? { array: true, index: 0 } : { array: false, key: '' });
        expectKey = text[i] === '{';
        break;
      case '}':
      case ']':
        stack.pop();
        expectKey = false;
        break;
      case ',': {
        const top = stack[stack.length - 1];
        if (top?.array) {
          top.index++;
          if (top.index >= limits.maxArrayLength) return `${pathOf(root, stack.slice(0, -1))} has more than ${limits.maxArrayLength} items`;
        } else expectKey = true;
        break;
      }
      case ':':
        expectKey = false;
        break;
      default:
    }
  }
  return undefined;
}

/** `body.a[2].b`, cut after a few steps (a path 64 levels deep says nothing more). */
function pathOf(root: string, stack: readonly Frame[]): string {
  const steps = stack.slice(0, 6).map((f) => (f.array ? `[${f.index}]` : /^[A-Za-z_$][\w$]*$/.test(f.key) ? `.${f.key}` : `[${JSON.stringify(f.key)}]`));
  return `${root}${steps.join('')}${stack.length > 6 ? '…' : ''}`;
}
