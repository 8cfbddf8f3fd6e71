import { TieredError, isErrorWithCode } from './TieredError.js';

/**
 * A catalog, client option or request names something that cannot work: an unknown provider or tier,
 * a negative price, a missing API key, a model that is in no tier. Thrown at construction (or before
 * any network call for a request), with `field` naming the offending path, e.g. `models[2].tier`.
 */
export class ConfigError extends TieredError {
  readonly code = 'CONFIG_INVALID';
  /** Path of the offending field, e.g. `models[1].inputCostPerMTok` or `retry.retries`. */
  readonly field: string;

  constructor(field: string, problem: string, hint: string) {
    super(`${field}: ${problem}`, { hint });
    this.field = field;
  }

  static override isInstance = isErrorWithCode<ConfigError>('CONFIG_INVALID');
}
