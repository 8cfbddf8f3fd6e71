import type { ChatCompletionContentPartImage } from 'openai/resources/chat/completions';

/**
 * The one reader of a request's `messages`: the router, the context-window fit, the token counts and
 * the semantic cache all see the same parts, the same way.
 *
 * Messages are checked only for being objects with a role (checkRequest.ts), so everything below them
 * may be anything a caller sends: content null, a number, nested junk. A content part is what its
 * `type` says, as in `openai`'s types; a part with a type this walker does not know, or that is no
 * object, is reported as `other`, so a reader can count it, refuse it or skip it. Nothing here throws
 * on a JSON value, and nothing is allocated per part: hot readers (the fit's bound, the heuristic
 * router) run on every request.
 */

/** The detail an image part asks for, when it is one of `openai`'s values. */
export type ImageDetail = ChatCompletionContentPartImage.ImageURL['detail'];

/**
 * What {@link walkMessages} reports, each handler optional. Every handler gets the caller's `state`
 * first, so that a visitor can be one constant defined at module level, not a closure per request.
 */
export interface MessageVisitor<S> {
  /** A message (any object), before its content: its role and name where they are strings. */
  message?(state: S, role: string | undefined, name: string | undefined): void;
  /** String content, or the text of a `text` part ('' when that text is not a string). */
  text?(state: S, text: string): void;
  /** A `refusal` part (an assistant's earlier answer sent back): its text, '' when not a string. */
  refusal?(state: S, refusal: string): void;
  /** An `image_url` part, with its detail when that is one of `openai`'s values. */
  image?(state: S, detail: ImageDetail): void;
  /** An `input_audio` part. */
  audio?(state: S): void;
  /** A `file` part. */
  file?(state: S): void;
  /** A content part that is none of the above: not an object, or of a type unknown here. */
  other?(state: S): void;
  /**
   * A tool call of an assistant message: a function's name and arguments, or a custom tool's name
   * and input; '' for what is not a string. A call of neither kind is skipped.
   */
  toolCall?(state: S, name: string, input: string): void;
  /** After a message's content and tool calls. */
  end?(state: S): void;
}

/**
 * Walks `messages` in order, reporting each message, its content parts and its tool calls to
 * `visitor`; what is not an object is skipped. Returns `state`.
 */
export function walkMessages<S>(messages: readonly unknown[], visitor: MessageVisitor<S>, state: S): S {
  for (let m = 0; m < messages.length; m++) {
    const message = messages[m];
    if (!isRecord(message)) continue;
    // What no handler asks for is not read: the hot readers want only a part or two.
    if (visitor.message !== undefined) {
      const { role, name } = message;
      visitor.message(state, typeof role === 'string' ? role : undefined, typeof name === 'string' ? name : undefined);
    }
    const content = message['content'];
    if (typeof content === 'string') visitor.text?.(state, content);
    else if (Array.isArray(content)) for (let p = 0; p < content.length; p++) visitPart(content[p], visitor, state);
    const toolCalls = visitor.toolCall === undefined ? undefined : message['tool_calls'];
    if (Array.isArray(toolCalls)) for (let c = 0; c < toolCalls.length; c++) visitToolCall(toolCalls[c], visitor, state);
    visitor.end?.(state);
  }
  return state;
}

function visitPart<S>(part: unknown, visitor: MessageVisitor<S>, state: S): void {
  if (!isRecord(part)) {
    visitor.other?.(state);
    return;
  }
  switch (part['type']) {
    case 'text':
      visitor.text?.(state, stringOr(part['text']));
      break;
    case 'image_url':
      visitor.image?.(state, detailOf(part['image_url']));
      break;
    case 'refusal':
      visitor.refusal?.(state, stringOr(part['refusal']));
      break;
    case 'input_audio':
      visitor.audio?.(state);
      break;
    case 'file':
      visitor.file?.(state);
      break;
    default:
      visitor.other?.(state);
  }
}

function visitToolCall<S>(call: unknown, visitor: MessageVisitor<S>, state: S): void {
  if (!isRecord(call)) return;
  const fn = call['function'];
  const custom = call['custom'];
  if (isRecord(fn)) visitor.toolCall?.(state, stringOr(fn['name']), stringOr(fn['arguments']));
  else if (isRecord(custom)) visitor.toolCall?.(state, stringOr(custom['name']), stringOr(custom['input']));
}

function detailOf(image: unknown): ImageDetail {
  const detail = isRecord(image) ? image['detail'] : undefined;
  return detail === 'low' || detail === 'high' || detail === 'auto' ? detail : undefined;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null;
}
