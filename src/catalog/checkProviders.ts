import { ConfigError } from '../errors/ConfigError.js';
import { rejectUnknownKeys } from '../errors/rejectUnknownKeys.js';
import { resolveHealthCheck } from '../health/resolveHealthCheck.js';
import type { ProviderConfig } from './types.js';
import { checkConnections } from './checkConnections.js';

const providerKeys = [
  'apiKey',
  'baseURL',
  'organization',
  'project',
  'defaultHeaders',
  'followRedirects',
  'client',
  'healthCheck',
  'connections',
];

/** The catalog's `providers`, checked: each one a client to make (a base URL, a key) or one the application made. @throws ConfigError naming the field */
export function checkProviders(value: unknown): Record<string, ProviderConfig> {
  if (!isRecord(value) || Object.keys(value).length === 0) {
    throw new ConfigError(
      'providers',
      'must name at least one provider',
      'Add e.g. providers: { openai: { apiKey: process.env.OPENAI_API_KEY } }.',
    );
  }
  const out: Record<string, ProviderConfig> = {};
  for (const [name, provider] of Object.entries(value)) {
    const field = `providers.${name}`;
    if (!isRecord(provider)) throw new ConfigError(field, 'must be an object', 'Give { apiKey, baseURL? } or { client }.');
    rejectUnknownKeys(provider, providerKeys, `${field}.`, 'field');
    for (const key of ['organization', 'project'] as const) {
      if (provider[key] !== undefined && typeof provider[key] !== 'string')
        throw new ConfigError(`${field}.${key}`, 'must be a string', "Copy it from the provider's dashboard.");
    }
    const headers = provider.defaultHeaders;
    if (headers !== undefined && (!isRecord(headers) || Object.values(headers).some((v) => typeof v !== 'string'))) {
      throw new ConfigError(`${field}.defaultHeaders`, 'must map header names to strings', "E.g. { 'api-key': process.env.AZURE_KEY }.");
    }
    if (provider.followRedirects !== undefined && typeof provider.followRedirects !== 'boolean') {
      throw new ConfigError(
        `${field}.followRedirects`,
        'must be a boolean',
        'true follows redirects to other origins; leave it out not to.',
      );
    }
    resolveHealthCheck(provider.healthCheck, `${field}.healthCheck`);
    checkConnections(provider, field);
    if (provider.client !== undefined) {
      if (provider.apiKey !== undefined || provider.baseURL !== undefined) {
        throw new ConfigError(
          field,
          'gives both a client and apiKey/baseURL',
          'Configure the key and address on the client you pass, or drop the client.',
        );
      }
      if (!isRecord(provider.client) || !isRecord(provider.client.chat)) {
        throw new ConfigError(`${field}.client`, 'is not an OpenAI client', 'Pass an instance of OpenAI from the openai package.');
      }
    } else {
      // Never echo the key: it may be a real secret pasted into the wrong field (its type is safe to name).
      const { apiKey } = provider;
      if (apiKey === undefined || apiKey === null) {
        throw new ConfigError(
          `${field}.apiKey`,
          'is missing (and no client is given)',
          `Set the API key of '${name}' (is its environment variable set?) or pass { client }.`,
        );
      }
      if (typeof apiKey !== 'string') {
        throw new ConfigError(
          `${field}.apiKey`,
          `must be a string, got ${Array.isArray(apiKey) ? 'an array' : typeof apiKey}`,
          `Give the API key of '${name}' as a string, e.g. process.env.OPENAI_API_KEY.`,
        );
      }
      if (apiKey.trim() === '') {
        throw new ConfigError(
          `${field}.apiKey`,
          'is empty',
          `Set the API key of '${name}' (is its environment variable set to an empty value?) or pass { client }.`,
        );
      }
      if (provider.baseURL !== undefined && !isHttpUrl(provider.baseURL)) {
        throw new ConfigError(
          `${field}.baseURL`,
          'is not an http(s) URL',
          "Use the provider's OpenAI-compatible base address, e.g. https://host/v1.",
        );
      }
    }
    out[name] = Object.freeze({ ...provider }) as unknown as ProviderConfig;
  }
  return out;
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
