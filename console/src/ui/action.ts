import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';

/** A form's write in its states: running (the button disabled), and the refusal or failure it ended with, if any. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = async (write: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await write();
    } catch (x) {
      setError(x instanceof ApiError ? x : new ApiError(0, 'client', (x as Error).message));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
