import type OpenAI from 'openai';
import { expectTypeOf, test } from 'vitest';
import type { RunnerOptions } from 'openai/lib/AbstractChatCompletionRunner';
import type { openaiHelperOptionKeys, openaiRequestOptionKeys } from '../src/client/checkRequest.js';

// Per-call keys that are neither ours nor openai's are refused at run time: the list of openai's must
// follow the installed release, or a new openai option would be refused (or a removed one accepted).
test("the per-call keys taken as openai's are exactly its RequestOptions", () => {
  expectTypeOf<(typeof openaiRequestOptionKeys)[number]>().toEqualTypeOf<keyof OpenAI.RequestOptions>();
});

test("the per-call keys taken from openai's helpers are exactly what its RunnerOptions add", () => {
  expectTypeOf<(typeof openaiHelperOptionKeys)[number]>().toEqualTypeOf<Exclude<keyof RunnerOptions, keyof OpenAI.RequestOptions>>();
});
