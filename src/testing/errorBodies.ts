import type { MockReply } from './MockReply.js';

/** The OpenAI error body (OpenAPI `ErrorResponse`). */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/**
 * An OpenAI-style error body for `status`, defaults chosen to resemble what OpenAI sends for
 * that status, each field overridable by the reply.
 */
export function errorBody(status: number, overrides: MockReply['error'] = {}): ErrorBody {
  const defaults = DEFAULTS[status] ?? (status >= 500 ? DEFAULTS[500] : DEFAULTS[400]);
  return {
    error: {
      message: overrides.message ?? defaults?.message ?? `Mock error ${status}.`,
      type: overrides.type ?? defaults?.type ?? 'invalid_request_error',
      param: overrides.param ?? null,
      code: overrides.code === undefined ? (defaults?.code ?? null) : overrides.code,
    },
  };
}

/** The 401 OpenAI sends for a wrong or missing key; the key is masked, never echoed whole. */
export function unauthorizedBody(authorization: string | undefined): ErrorBody {
  const key = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : '';
  if (key === '') {
    return errorBody(401, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      code: null,
    });
  }
  return errorBody(401, {
    message: `Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
  });
}

/**
 * Masks a key like OpenAI's messages do (`sk-te**********wxyz`). At most a quarter of the key is
 * shown at each end, so even a short key is never echoed whole.
 */
export function maskApiKey(key: string): string {
  const shown = Math.floor(key.length / 4);
  const head = Math.min(5, shown);
  const tail = Math.min(4, shown);
  return key.slice(0, head) + '*'.repeat(key.length - head - tail) + key.slice(key.length - tail);
}

type ErrorDefaults = { message: string; type: string; code: string | null };

const DEFAULTS: Partial<Record<number, ErrorDefaults>> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { message: 'You are not allowed to access this resource.', type: 'permission_error', code: null },
  404: {
    message: 'The model does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
  },
  409: { message: 'The request conflicts with another request.', type: 'invalid_request_error', code: null },
  422: { message: 'The request could not be processed.', type: 'invalid_request_error', code: null },
  429: {
    message: 'Rate limit reached for requests. Please try again later.',
    type: 'rate_limit_exceeded',
    code: 'rate_limit_exceeded',
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    code: null,
  },
  502: { message: 'Bad gateway.', type: 'server_error', code: null },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
  504: { message: 'Gateway timeout.', type: 'server_error', code: null },
};
