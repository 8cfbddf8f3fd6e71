import type { DeploymentRate } from './DeploymentRate.js';

/**
 * What a call's rate-limited attempts counted: its token estimate (made once per call), and where the
 * last grant went, so that the answer's real usage can correct it. One per call that meets a
 * deployment with `rpm` or `tpm`, reused by its later attempts.
 */
export class RateGrant {
  /** The deployment of the last granted attempt; undefined until one is granted. */
  rate: DeploymentRate | undefined = undefined;
  /** The store's second the last grant was counted in. */
  second = 0;
  /** True when the in-process fallback counted it (the shared store had failed). */
  local = false;

  constructor(
    /** The prompt estimate plus the output limit: what each grant counted. */
    readonly tokens: number,
  ) {}
}
