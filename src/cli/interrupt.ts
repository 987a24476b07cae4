/**
 * SIGINT (Ctrl-C) as an AbortSignal: the long-running analyses stop at their next check and
 * return what they have, so the command can still print or write the partial result.
 */

/**
 * Runs `run` with a signal that aborts on the first SIGINT; the handler is removed when `run`
 * settles, so a later Ctrl-C ends the process as usual. Returns what `run` returns.
 */
export async function withSigintAbort<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await run(abort.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
