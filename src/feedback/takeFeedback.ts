import { ConfigError } from '../errors/ConfigError.js';
import { showValue } from '../errors/showValue.js';
import type { MetricsRecorder } from '../metrics/MetricsRecorder.js';
import type { Telemetry } from '../telemetry/Telemetry.js';
import { checkFeedback, type Feedback } from './Feedback.js';
import type { RecentAnswers } from './RecentAnswers.js';

/** What feedback needs of the client. */
export interface FeedbackParts {
  readonly answers: RecentAnswers;
  readonly metrics: MetricsRecorder;
  readonly telemetry: Telemetry;
}

/**
 * `client.feedback()`: checks the feedback, joins it to its request, counts it in the metrics of
 * the scopes that answered (replacing the request's last feedback) and emits `feedback`.
 * Returns false, changing nothing, for a request the client does not remember.
 */
export function takeFeedback(parts: FeedbackParts, requestId: string, feedback: Feedback): boolean {
  if (typeof requestId !== 'string')
    throw new ConfigError('requestId', `must be a string, got ${showValue(requestId)}`, 'Pass the requestId of a result or an event.');
  const checked = checkFeedback(feedback);
  const answer = parts.answers.find(requestId);
  if (answer === undefined) return false;
  // Spelled out: a spread of `checked` made feedback() about 10 times slower (npm run bench:feedback).
  const given = { score: checked.score, thumbs: checked.thumbs, at: Date.now() };
  parts.metrics.feedback(answer, given, answer.given);
  answer.given = given;
  const { telemetry } = parts;
  if (telemetry.wants('feedback')) {
    const { operation, model, provider, tier } = answer;
    const { label } = feedback;
    telemetry.emit('feedback', {
      requestId,
      operation,
      model,
      provider,
      tier,
      score: given.score,
      ...(label === undefined ? {} : { label }),
    });
  }
  return true;
}
