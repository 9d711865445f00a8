import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryParameters } from './resolve-handler.js';

function reference(query: string): { subject?: string; track?: string } {
  const search = new URLSearchParams(query);
  const subject = search.get('subject');
  const track = search.get('track');
  return { ...(subject === null ? {} : { subject }), ...(track === null ? {} : { track }) };
}

describe('queryParameters (the resolve fast path)', () => {
  it('reads subject and track exactly as URLSearchParams does', () => {
    for (const q of ['', 'subject=u1', 'subject=u1&track=beta', 'track=beta&subject=u1', 'subject=', 'subject', 'subject=a&subject=b', '&&subject=x&', 'subject=a=b', 'x=1&subject=u%201', 'subject=a+b', 'subject=%E2%9C%93', 'subject=%zz', 'track=&subject=s']) {
      expect(queryParameters(q), q).toEqual(reference(q));
    }
  });

  it('agrees with URLSearchParams on any query built from names, values and separators', () => {
    const part = fc.constantFrom('subject', 'track', 'other', '=', '&', 'a', '%20', '+', 'é', '%', '=x');
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const q = parts.join('');
        expect(queryParameters(q)).toEqual(reference(q));
      }),
      { numRuns: 2000 },
    );
  });
});
