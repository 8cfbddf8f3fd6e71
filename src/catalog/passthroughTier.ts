/**
 * The tier name that `request:end`, `metrics().byTier` and `health()` give the calls of a model the
 * catalog does not know (`unknownModels: 'passthrough'`). Such a call has no price: it claims no
 * savings against the baseline model and stays out of `costReport()`.
 */
export const passthroughTier = 'passthrough';
