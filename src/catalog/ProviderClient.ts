import OpenAI from 'openai';

type FetchWithTimeout = OpenAI['fetchWithTimeout'];

/** The key under which a request's `fetchOptions` name the attempt that takes its AbortController. */
const attemptKey: unique symbol = Symbol('tiered-llm.attempt');

/** What takes hold of a request's own AbortController: the attempt the request belongs to. */
export interface ControllerTaker {
  adopt(controller: AbortController): void;
}

/**
 * The `openai` client tiered-llm makes for a provider. `openai` gives every request an
 * AbortController of its own and ties a caller's `signal` to it with a listener, so an attempt passing
 * a signal would pay for a second controller and a listener per request: about a twentieth of a
 * loopback call's CPU, measured. This client hands each request's own controller to the attempt named
 * in its `fetchOptions` instead, and the attempt aborts it directly.
 */
export class ProviderClient extends OpenAI {
  /**
   * False (the default): made with `fetchOptions.redirect: 'manual'`, this client follows a 307 or
   * 308 to the same origin and answers any other redirect with an error of its status, so that
   * neither the provider's headers (its key) nor the prompt go to a host nobody configured.
   */
  followRedirects = false;

  override fetchWithTimeout(...[url, init, ms, controller]: Parameters<FetchWithTimeout>): ReturnType<FetchWithTimeout> {
    // The key goes on to fetch, which reads only the RequestInit members it knows: deleting it would
    // cost more (it turns the object into a slow dictionary) than carrying it.
    (init as (RequestInit & { [attemptKey]?: ControllerTaker }) | undefined)?.[attemptKey]?.adopt(controller);
    const response = super.fetchWithTimeout(url, init, ms, controller);
    if (this.followRedirects) return response;
    return response.then((answer) =>
      isRedirect(answer.status) ? this.redirected(answer, String(url), url, init, ms, controller, 0) : answer,
    );
  }

  private async redirected(
    answer: Response,
    url: string,
    ...[, init, ms, controller, hops]: [...Parameters<FetchWithTimeout>, number]
  ): Promise<Response> {
    const location = answer.headers.get('location');
    const target = location === null ? undefined : parseURL(location, url);
    await answer.body?.cancel().catch(noop);
    // Only a redirect that keeps the method and body, to the same origin, a few times at most.
    if (target != null && target.origin === new URL(url).origin && (answer.status === 307 || answer.status === 308) && hops < maxHops) {
      const next = await super.fetchWithTimeout(target.href, init, ms, controller);
      return isRedirect(next.status) ? this.redirected(next, target.href, target.href, init, ms, controller, hops + 1) : next;
    }
    const where = target == null ? 'no valid location' : target.origin;
    const message = `The provider redirected to ${where}; redirects to another origin are not followed (provider option followRedirects).`;
    return new Response(JSON.stringify({ error: { message, type: 'redirect_blocked', code: 'redirect_blocked', param: null } }), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  }
}

const maxHops = 5;

/**
 * The user agent `openai` sends, `OpenAI/JS <version>`. It names its user agent after the client's
 * class: ours (and the tiered client) would announce themselves as `ProviderClient/JS` and
 * `TieredClient/JS`, where a provider, a gateway or a proxy expects the official client's.
 */
type UserAgentOf = (this: { constructor: unknown }) => string;
const officialUserAgent = (OpenAI.prototype as unknown as { getUserAgent: UserAgentOf }).getUserAgent.call({ constructor: OpenAI });

/** Makes the clients of `type` send the official client's user agent. */
export function sendOfficialUserAgent(type: { prototype: object }): void {
  Object.defineProperty(type.prototype, 'getUserAgent', { value: () => officialUserAgent, configurable: true, writable: true });
}
sendOfficialUserAgent(ProviderClient);
const noop = (): void => {};

function parseURL(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

// openai 6 calls fetchWithTimeout(url, init, ms, controller) for every request (pinned by
// ProviderClient.test.ts); should a release rename it, attempts fall back to passing a signal.
const adoptable = typeof (OpenAI.prototype as Partial<OpenAI>).fetchWithTimeout === 'function';

/**
 * The request options of one attempt: the call's own, and a way for the attempt to abort the request. A
 * client of ours hands the attempt the request's controller; one the application made (`provider.client`)
 * is given the attempt's signal.
 */
export function attemptOptions(
  client: OpenAI,
  upstream: OpenAI.RequestOptions,
  scope: ControllerTaker & { readonly signal: AbortSignal },
): OpenAI.RequestOptions {
  if (adoptable && client instanceof ProviderClient) {
    // A symbol key rides through openai's copies of fetchOptions untouched (its types know nothing of it).
    const fetchOptions = { ...upstream.fetchOptions, [attemptKey]: scope } as unknown as NonNullable<OpenAI.RequestOptions['fetchOptions']>;
    return { ...upstream, fetchOptions };
  }
  return { ...upstream, signal: scope.signal };
}
