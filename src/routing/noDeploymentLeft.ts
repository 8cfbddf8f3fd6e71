import { ConfigError } from '../errors/ConfigError.js';
import { constrainRoute, type ProviderConstraints } from './constrainRoute.js';
import type { Route } from './loadBalancing.js';
import { quoted, regionsOf } from '../catalog/regionList.js';

/** A call's own constraints on where it may go: its `fallback`, `providers` and `region` (as a list). */
export interface CallConstraints {
  readonly fallback?: unknown;
  readonly providers?: ProviderConstraints | undefined;
  readonly regions?: readonly string[] | undefined;
}

/**
 * The error of a call whose constraints left `route` (the deployments its `fallback` allows for
 * `name`) with no deployment. It names the constraint to loosen: the call's own `fallback` when the
 * client's route (`wider`) would have reached an allowed deployment; else `region` when it alone
 * leaves none; else `providers.only` when given (`only` and `ignore` never share a provider, so
 * `ignore` cannot empty what `only` kept), else `providers.ignore`, when they alone leave none; else
 * (each leaves some, but no deployment is both in the regions and on an allowed provider) `region`.
 */
export function noDeploymentLeft(name: string, constraints: CallConstraints, route: Route, wider: Route | undefined): ConfigError {
  const { fallback, providers, regions } = constraints;
  const on = providersOf(route);
  const of = name === 'auto' ? 'any tier' : `'${name}'`;
  const also = fallbacksIncluded(fallback, name);
  if (fallback !== undefined && wider !== undefined && constrainRoute(wider, providers, regions).ordered.length > 0) {
    const where =
      regions === undefined ? `on ${list(on)}` : `on ${list(on)} in ${quoted(regionsOf(route.ordered.map((l) => l.deployment)))}`;
    return new ConfigError(
      'options.fallback',
      `${describeFallback(fallback)} keeps ${of} ${where}, which ${regions === undefined ? 'providers leaves' : "the call's providers and region leave"} out`,
      `Let the call fall back further (e.g. fallback: 'escalate'), or allow ${list(on)} in providers.`,
    );
  }
  if (regions !== undefined) {
    const inRegion = constrainRoute(route, undefined, regions).ordered;
    const served = regionsOf(route.ordered.map((live) => live.deployment));
    if (inRegion.length === 0) {
      return new ConfigError(
        'options.region',
        `no deployment for ${of}${also} is in ${quoted(regions)}; they are in ${quoted(served)}`,
        `Add one of ${quoted(served)} to region, or ask for a tier or model served in ${quoted(regions)}.`,
      );
    }
    if (providers === undefined || constrainRoute(route, providers).ordered.length > 0) {
      return new ConfigError(
        'options.region',
        `no deployment for ${of}${also} is both in ${quoted(regions)} and on a provider the call allows; in ${quoted(regions)} it is on ${list(providersOf({ ordered: inRegion }))}`,
        `Allow one of ${list(providersOf({ ordered: inRegion }))} in providers, or widen region.`,
      );
    }
  }
  if (providers?.only !== undefined) {
    return new ConfigError(
      'options.providers.only',
      `no deployment for ${of}${also} is on ${list(providers.only)}; they are on ${list(on)}`,
      `Add one of ${list(on)} to providers.only, or ask for a tier or model that ${list(providers.only)} serves.`,
    );
  }
  return new ConfigError(
    'options.providers.ignore',
    `ignoring ${list(on)} leaves no deployment for ${of}${also}`,
    'Ignore fewer providers, or ask for a tier or model that another provider serves.',
  );
}

function providersOf(route: Pick<Route, 'ordered'>): string[] {
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
