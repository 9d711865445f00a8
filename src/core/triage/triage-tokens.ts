/**
 * Tokens of a failing item's text for failure clustering: lowercased words (letters and digits),
 * English stop words and one-letter words dropped, digits folded to `0` so ids and amounts of one
 * mode look alike, and adjacent-word bigrams (`a_b`) so "not found" differs from "found".
 */

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

// A short English stop list (the common function words); domain words are left to TF-IDF's idf.
const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    "i'm it's don't can't won't isn't aren't wasn't weren't doesn't didn't i've you're we're they're let's"
  ).split(/\s+/),
);

/** Unigrams and bigrams of a text, in order (a term may repeat). */
export function triageTokens(text: string): string[] {
  const words: string[] = [];
  for (const raw of text.toLowerCase().match(WORD) ?? []) {
    if (raw.length < 2 || STOP_WORDS.has(raw)) continue;
    words.push(raw.replace(/\d+/g, '0'));
  }
  const out = words.slice();
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]}_${words[i]}`);
  return out;
}
