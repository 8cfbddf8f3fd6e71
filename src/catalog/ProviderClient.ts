import OpenAI from 'openai';

type FetchWithTimeout = OpenAI['fetchWithTimeout'];

/** The key under which a request's `fetchOptions` name the try that takes its AbortController. */
const tryKey: unique symbol = Symbol('tiered-llm.try');

/** What takes hold of a request's own AbortController: the try the request belongs to. */
export interface ControllerTaker {
  adopt(controller: AbortController): void;
}

/**
 * The `openai` client tiered-llm makes for a provider. `openai` gives every request an
 * AbortController of its own and ties a caller's `signal` to it with a listener, so a try passing
 * a signal would pay for a second controller and a listener per request: about a twentieth of a
 * loopback call's CPU, measured. This client hands each request's own controller to the try named
 * in its `fetchOptions` instead, and the try aborts it directly.
 */
export class ProviderClient extends OpenAI {
  override fetchWithTimeout(...[url, init, ms, controller]: Parameters<FetchWithTimeout>): ReturnType<FetchWithTimeout> {
    // The key goes on to fetch, which reads only the RequestInit members it knows: deleting it would
    // cost more (it turns the object into a slow dictionary) than carrying it.
    (init as (RequestInit & { [tryKey]?: ControllerTaker }) | undefined)?.[tryKey]?.adopt(controller);
    return super.fetchWithTimeout(url, init, ms, controller);
  }
}

// openai 6 calls fetchWithTimeout(url, init, ms, controller) for every request (pinned by
// ProviderClient.test.ts); should a release rename it, tries fall back to passing a signal.
const adoptable = typeof (OpenAI.prototype as Partial<OpenAI>).fetchWithTimeout === 'function';

/**
 * The request options of one try: the call's own, and a way for the try to abort the request. A
 * client of ours hands the try the request's controller; one the application made (`provider.client`)
 * is given the try's signal.
 */
export function tryOptions(
  client: OpenAI,
  upstream: OpenAI.RequestOptions,
  scope: ControllerTaker & { readonly signal: AbortSignal },
): OpenAI.RequestOptions {
  if (adoptable && client instanceof ProviderClient) {
    // A symbol key rides through openai's copies of fetchOptions untouched (its types know nothing of it).
    const fetchOptions = { ...upstream.fetchOptions, [tryKey]: scope } as unknown as NonNullable<OpenAI.RequestOptions['fetchOptions']>;
    return { ...upstream, fetchOptions };
  }
  return { ...upstream, signal: scope.signal };
}
