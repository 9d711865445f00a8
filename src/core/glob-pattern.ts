/**
 * A small glob matcher for the `files:` list of a command target (Node 20 has no stable glob):
 * `*` matches within one path segment, `**` any number of segments, `?` one character, `{a,b}` one
 * of the alternatives. Paths use `/`; a pattern matches the whole relative path.
 * @example globToRegExp('lib/**\/*.py').test('lib/a/b.py') // true
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let i = 0;
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 3 : 2;
        continue;
      }
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${out}$`);
}

/** Whether a glob is a safe relative pattern: no absolute path and no `..` segment. */
export function isRelativeGlob(glob: string): boolean {
  return !glob.startsWith('/') && !glob.split('/').includes('..');
}
