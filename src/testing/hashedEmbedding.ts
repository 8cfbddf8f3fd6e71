/**
 * Function words, down-weighted rather than dropped: with full weight "What is the capital of
 * France?" and "what's the capital of france" share only 5 of 6 words (cosine 0.83), so the
 * words that carry the meaning must count for more. Kept at a small weight, a text made only of
 * them ("Is it?") still gets a vector of its own.
 */
const FUNCTION_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my not of on or our she so than that the their them then there these they this to was we were what when where ' +
    'which who why will with would you your s t d ll m re ve'
  ).split(' '),
);
const FUNCTION_WORD_WEIGHT = 0.25;
/** Bigrams of neighbouring content words make word order count a little ("dog bites man"). */
const BIGRAM_WEIGHT = 0.5;

/**
 * The mock's embedding of `text`: a hashed bag of words, deterministic and cheap, yet meaningful
 * enough for similarity tests. The text is lower-cased and split on anything but letters and
 * digits; each word adds its weight (1, or 0.25 for a function word such as "the") to dimension
 * `fnv1a(word) % dimensions`, each pair of neighbouring content words (function words skipped) adds 0.5 the same way, and
 * the vector is L2-normalised. Texts sharing most of their content words come out close (cosine
 * > 0.9), texts sharing none far apart (about 0, collisions aside). A text without any word
 * gives the zero vector. Values are float32, so the JSON and base64 encodings carry the same
 * numbers.
 */
export function hashedEmbedding(text: string, dimensions: number): Float32Array {
  const sums = new Float64Array(dimensions);
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  let previous: string | undefined;
  for (const word of words) {
    const functionWord = FUNCTION_WORDS.has(word);
    sums[fnv1a(word) % dimensions]! += functionWord ? FUNCTION_WORD_WEIGHT : 1;
    if (functionWord) continue;
    // A space never occurs inside a word, so a bigram cannot hash like a single word.
    if (previous !== undefined) sums[fnv1a(`${previous} ${word}`) % dimensions]! += BIGRAM_WEIGHT;
    previous = word;
  }
  const norm = Math.sqrt(sums.reduce((total, sum) => total + sum * sum, 0));
  const vector = new Float32Array(dimensions);
  if (norm > 0) sums.forEach((sum, index) => (vector[index] = sum / norm));
  return vector;
}

/** 32-bit FNV-1a over UTF-16 code units: stable across runs and platforms, unlike object hashing. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
