import { ConfigError } from '../errors/ConfigError.js';
import { constrainRoute, type ProviderConstraints } from './constrainRoute.js';
import type { Route } from './loadBalancing.js';

/**
 * The error of a call whose constraints left `route` (the deployments its `fallback` allows for
 * `name`) with no deployment. It names the constraint to loosen: the call's own `fallback` when the
 * client's route (`wider`) would have reached an allowed provider, else `providers.only` when given
 * (`only` and `ignore` never share a provider, so `ignore` cannot empty what `only` kept), else
 * `providers.ignore`.
 */
export function noDeploymentLeft(
  name: string,
  options: { readonly fallback?: unknown; readonly providers: ProviderConstraints },
  route: Route,
  wider: Route | undefined,
): ConfigError {
  const { fallback, providers } = options;
  const on = providersOf(route);
  const of = name === 'auto' ? 'any tier' : `'${name}'`;
  if (fallback !== undefined && wider !== undefined && constrainRoute(wider, providers).ordered.length > 0) {
    return new ConfigError(
      'options.fallback',
      `${describeFallback(fallback)} keeps ${of} on ${list(on)}, which providers leaves out`,
      `Let the call fall back further (e.g. fallback: 'escalate'), or allow ${list(on)} in providers.`,
    );
  }
  if (providers.only !== undefined) {
    return new ConfigError(
      'options.providers.only',
      `no deployment for ${of}${fallbacksIncluded(fallback, name)} is on ${list(providers.only)}; they are on ${list(on)}`,
      `Add one of ${list(on)} to providers.only, or ask for a tier or model that ${list(providers.only)} serves.`,
    );
  }
  return new ConfigError(
    'options.providers.ignore',
    `ignoring ${list(on)} leaves no deployment for ${of}${fallbacksIncluded(fallback, name)}`,
    'Ignore fewer providers, or ask for a tier or model that another provider serves.',
  );
}

function providersOf(route: Route): string[] {
  return [...new Set(route.ordered.map((live) => live.deployment.provider))];
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'no provider' : names.map((name) => `'${name}'`).join(', ');
}

function describeFallback(fallback: unknown): string {
  return Array.isArray(fallback) ? `fallback [${list(fallback as string[])}]` : `fallback '${String(fallback)}'`;
}

function fallbacksIncluded(fallback: unknown, name: string): string {
  if (name === 'auto') return '';
  return fallback === 'none' ? " (fallback 'none')" : ' or its fallbacks';
}
