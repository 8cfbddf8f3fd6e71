/**
 * The client option `region`: preferred regions (catalog entries' `region`), in order. Within each
 * group of equal deployments (one tier's, or one model's under several providers), those in the first
 * region come first, then the second's, then the rest (entries of other regions or of none); load
 * balancing shares traffic within each of those groups. A preference, never a constraint: a
 * deployment never moves into another tier's place (a cheaper tier elsewhere still answers before a
 * pricier one here), and the rest stay fallbacks. Computed once, when the client is built: it costs a
 * call nothing. An unknown region, or one outside `regions.only`, is a `ConfigError` (`region`,
 * `region[1]`).
 */
export type RegionPreference = string | readonly string[];

/**
 * The client option `regions`: keep the client in some regions. Deployments whose catalog entry's
 * `region` is not one of `only` (entries with no `region` included) serve nothing, whatever a request
 * asks: chat, embeddings, the Responses API, the semantic cache's embedding model, the classifier and
 * shadows alike. A tier left with no deployment there is absent: a request naming it (or a router
 * choosing it) fails before any request with a `ConfigError` naming `regions.only`, and fallback
 * passes it by. Checked at construction: an unknown region, a `regions.only` that leaves no chat
 * model, an option served only elsewhere (the classifier's or the semantic cache's model, a shadow
 * model: their defaults are chosen within), and `unknownModels: 'passthrough'` (a passthrough model
 * has no region) are `ConfigError`s. `health()` and `metrics()` know only the deployments within.
 * The resources the client does not route (`models`, `files`...) still go to `defaultProvider`.
 */
export interface RegionsOptions {
  /** The regions the client may use: at least one, each named by some catalog entry. */
  readonly only: readonly string[];
}
