/**
 * A strict JSON parser (RFC 8259, as JSON.parse) that also records the 1-based line where each element
 * of the shallow arrays starts — the top-level array, or an array held directly by the top-level
 * object — so a dataset error can name the element's line. Syntax errors come back as a value with
 * their line. Newlines can only occur in whitespace in valid JSON, so lines are counted there.
 */
export type JsonWithLines =
  | {
      readonly ok: true;
      readonly value: unknown;
      /** Start line of each element, for arrays at depth 0 or 1. */
      readonly elementLines: WeakMap<readonly unknown[], readonly number[]>;
    }
  | { readonly ok: false; readonly line: number; readonly message: string };

/** @example parseJsonWithLines('[\n 1,\n 2\n]') // ok, elementLines.get(value) → [2, 3] */
export function parseJsonWithLines(text: string): JsonWithLines {
  const parser = new LocatingParser(text);
  try {
    const value = parser.parseDocument();
    return { ok: true, value, elementLines: parser.elementLines };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, line: e.line, message: e.message };
    if (e instanceof RangeError) return { ok: false, line: parser.line, message: 'JSON nested too deeply' };
    throw e;
  }
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

class LocatingParser {
  pos = 0;
  line = 1;
  readonly elementLines = new WeakMap<readonly unknown[], readonly number[]>();

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeHere()} after the JSON value`);
    return value;
  }

  private parseValue(depth: number): unknown {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === 0x7b) return this.parseObject(depth);
    if (c === 0x5b) return this.parseArray(depth);
    if (c === 0x22) return this.parseString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(`unexpected ${this.describeHere()}, expected a JSON value`);
  }

  private parseObject(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x22) this.fail(`unexpected ${this.describeHere()}, expected a property name`);
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 0x3a) this.fail(`unexpected ${this.describeHere()}, expected ':'`);
      this.pos++;
      const value = this.parseValue(depth + 1);
      // As JSON.parse: "__proto__" is an own property, never the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      if (this.endOfMember(0x7d, '}')) return out;
    }
  }

  private parseArray(depth: number): unknown[] {
    const out: unknown[] = [];
    const lines: number[] | undefined = depth <= 1 ? [] : undefined;
    this.pos++; // [
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
    } else {
      for (;;) {
        this.skipWhitespace();
        lines?.push(this.line);
        out.push(this.parseValue(depth + 1));
        if (this.endOfMember(0x5d, ']')) break;
      }
    }
    if (lines) this.elementLines.set(out, lines);
    return out;
  }

  /** After a member: true at the closing bracket, false after a comma. */
  private endOfMember(close: number, closeText: string): boolean {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    if (c === close || c === 0x2c) {
      this.pos++;
      return c === close;
    }
    return this.fail(`unexpected ${this.describeHere()}, expected ',' or '${closeText}'`);
  }

  private parseString(): string {
    const start = this.pos;
    let escaped = false;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        const raw = this.text.slice(start, i + 1);
        if (!escaped) return raw.slice(1, -1);
        try {
          return JSON.parse(raw) as string;
        } catch {
          return this.fail('invalid escape sequence in string');
        }
      }
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c < 0x20) {
        this.pos = i;
        return this.fail(c === 0x0a ? 'unterminated string' : 'control character in string');
      }
    }
    this.pos = this.text.length;
    return this.fail('unterminated string');
  }

  private parseNumber(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail(`unexpected ${this.describeHere()}, expected a number`);
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private skipWhitespace(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.pos++;
      else if (c === 0x0a) {
        this.pos++;
        this.line++;
      } else return;
    }
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return JSON.stringify(String.fromCodePoint(this.text.codePointAt(this.pos) as number));
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.line);
  }
}
