import { requirePeer } from '../catalog/requirePeer.js';

/**
 * The exact text tokenizers, from the optional peer dependency gpt-tokenizer. Each encoding is
 * loaded on first use only, once per process: an encoding is megabytes of ranks that most requests
 * never need, and importing tiered-llm must load nothing. Without gpt-tokenizer installed every
 * lookup answers `undefined` and callers estimate instead.
 */

/** The encodings of the OpenAI model families we count exactly. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

// Checked in order: gpt-4.1 must meet o200k before the gpt-4 rule would take it.
const ENCODINGS: ReadonlyArray<readonly [RegExp, EncodingName]> = [
  [/^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4)(?:$|[-.:@_])/, 'o200k_base'],
  [/^(?:gpt-4|gpt-3\.5)(?:$|[-.:@_])/, 'cl100k_base'],
];

/** The encoding of `modelId`, provider prefixes ('openai/gpt-4o', 'azure/gpt-4.1') ignored. */
export function encodingOf(modelId: string): EncodingName | undefined {
  const bare = modelId.slice(modelId.lastIndexOf('/') + 1).toLowerCase();
  return ENCODINGS.find(([pattern]) => pattern.test(bare))?.[1];
}

/** The part of gpt-tokenizer we use. */
interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

// User text may contain '<|endoftext|>': the API counts it as plain text, so must we (and not throw).
const AS_TEXT = { disallowedSpecial: new Set<string>() };
// `null`: looked up and not installed, so the lookup (a failed resolution walks the disk) runs once.
const loaded = new Map<EncodingName, ((text: string) => number) | null>();

/**
 * A counter of the tokens `encoding` makes of a text, or `undefined` when gpt-tokenizer is not
 * installed (or is a version without that encoding). Synchronous, so counting stays synchronous.
 */
export function textTokenCounter(encoding: EncodingName): ((text: string) => number) | undefined {
  let counter = loaded.get(encoding);
  if (counter === undefined) {
    const module = requirePeer(`gpt-tokenizer/encoding/${encoding}`) as Encoding | undefined;
    counter = module === undefined ? null : (text) => (text.length === 0 ? 0 : module.countTokens(text, AS_TEXT));
    loaded.set(encoding, counter);
  }
  return counter ?? undefined;
}
