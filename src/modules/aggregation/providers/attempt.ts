import { ProviderError } from '../../../kernel/errors.js';
import { err, ok, type Result } from '../../../kernel/result.js';

/** Runs a provider call and returns its ProviderError as a value; any other exception is a bug and propagates. */
export async function attempt<T>(call: () => Promise<T>): Promise<Result<T, ProviderError>> {
  try {
    return ok(await call());
  } catch (e) {
    if (e instanceof ProviderError) return err(e);
    throw e;
  }
}
