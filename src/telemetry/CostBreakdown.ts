/** What a call's `costUsd` paid for, in USD at catalog prices. */
export interface CostBreakdown {
  /** The answer: every billed attempt, poor answers escalated from included; 0 for a cache hit. */
  readonly answerUsd: number;
  /** The classifier's call that chose the tier of an `'auto'` request (0 without one, or when it remembered the answer). */
  readonly routingUsd: number;
  /** The semantic cache's embedding of the request, after an exact miss (0 without one). */
  readonly embeddingUsd: number;
}
