import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { showValue } from '../errors/showValue.js';
import type { RequestEvent } from '../telemetry/RequestEvent.js';

/** What `client.feedback()` is told of an answer: exactly one of `score` and `thumbs`, and a label. */
export interface Feedback {
  /** How good the answer was, from 0 (useless) to 1 (just right). Give this or `thumbs`, not both. */
  readonly score?: number;
  /** A thumb up (counted as a score of 1) or down (0). Give this or `score`, not both. */
  readonly thumbs?: 'up' | 'down';
  /**
   * What the feedback is about, e.g. `'wrong-language'`: passed on in the `feedback` event and as an
   * OpenTelemetry attribute, so keep to a few labels (not free text).
   */
  readonly label?: string;
}

/**
 * A feedback on an answered request (`client.feedback()`), joined to where it was answered; its
 * `operation` is the request's.
 */
export interface FeedbackEvent extends RequestEvent {
  /** The request the feedback is about: the `requestId` of its result and events. */
  readonly requestId: string;
  /** The model id that answered it (for a cache hit: the one that produced the answer served). */
  readonly model: string;
  /** Its catalog provider. */
  readonly provider: string;
  /** Its tier. */
  readonly tier: string;
  /** From 0 to 1: the score given, or 1 for a thumb up, 0 for a thumb down. */
  readonly score: number;
  /** The label given with it, if any. */
  readonly label?: string;
}

/** A feedback as the metrics count it: its score, the thumb it was given as (if it was), and when. */
export interface GivenScore {
  readonly score: number;
  readonly thumbs: 'up' | 'down' | undefined;
  /** When it was given (`Date.now()`), so that a replacement can take it out of the quality window. */
  readonly at: number;
}

const known = ['score', 'thumbs', 'label'] as const;

/** Checks a feedback; @throws ConfigError naming the field that is wrong (`score`, `thumbs`, `label`). */
export function checkFeedback(feedback: Feedback): Omit<GivenScore, 'at'> {
  if (typeof feedback !== 'object' || feedback === null || Array.isArray(feedback))
    throw new ConfigError('feedback', `must be an object, got ${showValue(feedback)}`, "Pass { score: 0.8 } or { thumbs: 'up' }.");
  rejectUnknownKeys(feedback, known, '', 'field');
  const { score, thumbs, label } = feedback;
  if (label !== undefined && typeof label !== 'string')
    throw new ConfigError('label', `must be a string, got ${showValue(label)}`, "Name what the feedback is about, e.g. 'wrong-language'.");
  if (thumbs !== undefined) {
    if (score !== undefined) throw new ConfigError('thumbs', 'cannot be given with score', 'Give exactly one of score and thumbs.');
    if (thumbs !== 'up' && thumbs !== 'down')
      throw new ConfigError('thumbs', `must be 'up' or 'down', got ${showValue(thumbs)}`, 'Or give a score from 0 to 1 instead.');
    return { score: thumbs === 'up' ? 1 : 0, thumbs };
  }
  if (score === undefined)
    throw new ConfigError('score', 'is missing, and so is thumbs', "Give exactly one of score (0 to 1) and thumbs ('up' or 'down').");
  // NaN fails both comparisons: refused like any number out of range.
  if (typeof score !== 'number' || !(score >= 0 && score <= 1))
    throw new ConfigError(
      'score',
      `must be a number from 0 to 1, got ${showValue(score)}`,
      "Scale it to 0..1, or give thumbs: 'up' | 'down'.",
    );
  return { score, thumbs: undefined };
}
