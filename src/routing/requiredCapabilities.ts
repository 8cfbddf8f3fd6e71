import { walkMessages, type MessageVisitor } from '../call/messageParts.js';
import type { Capability } from '../catalog/types.js';

/**
 * What a request needs from a model: `tools` (tools or functions), `vision` (an image part),
 * `audio` (an audio part or audio output), `json_schema` / `json_object` (the response format).
 */
export function requiredCapabilities(params: {
  readonly messages: readonly unknown[];
  readonly tools?: unknown;
  readonly functions?: unknown;
  readonly response_format?: unknown;
  readonly modalities?: unknown;
  readonly audio?: unknown;
}): Capability[] {
  const needs: Capability[] = [];
  if ((Array.isArray(params.tools) && params.tools.length > 0) || (Array.isArray(params.functions) && params.functions.length > 0))
    needs.push('tools');
  const format = (params.response_format as { type?: unknown } | null | undefined)?.type;
  if (format === 'json_schema') needs.push('json_schema');
  if (format === 'json_object') needs.push('json_object');
  const media = walkMessages(params.messages, mediaParts, { image: false, audio: false });
  if (media.image) needs.push('vision');
  const audioOut =
    (params.audio !== undefined && params.audio !== null) || (Array.isArray(params.modalities) && params.modalities.includes('audio'));
  if (media.audio || audioOut) needs.push('audio');
  return needs;
}

const mediaParts: MessageVisitor<{ image: boolean; audio: boolean }> = {
  image(state) {
    state.image = true;
  },
  audio(state) {
    state.audio = true;
  },
};
