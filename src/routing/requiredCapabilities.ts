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
  let image = false;
  let audio = params.audio !== undefined && params.audio !== null;
  if (Array.isArray(params.modalities) && params.modalities.includes('audio')) audio = true;
  for (const message of params.messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      const type = (part as { type?: unknown } | null)?.type;
      if (type === 'image_url') image = true;
      else if (type === 'input_audio') audio = true;
    }
  }
  if (image) needs.push('vision');
  if (audio) needs.push('audio');
  return needs;
}
