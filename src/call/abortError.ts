import { APIUserAbortError } from 'openai';
import { AllModelsFailedError } from '../errors/AllModelsFailedError.js';
import type { Call } from './Call.js';

/** The error for an aborted call: the caller's abort as `openai` reports it, or the deadline. */
export function abortError(call: Call, error: unknown): unknown {
  if (call.scope.abortReason === 'deadline') return new AllModelsFailedError(call.requested, call.attempts, 'deadline', error);
  return error instanceof APIUserAbortError ? error : new APIUserAbortError();
}
