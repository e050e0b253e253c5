/** Runs async tasks with at most `max` of them in flight; waiting tasks can be aborted. */

export type Limiter = <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/** A limiter shared by every call that uses it, so concurrent audits together stay under `max`. */
export function createLimiter(max: number): Limiter {
  const limit = Math.max(1, Math.floor(max));
  let active = 0;
  const waiting: Array<() => void> = [];

  const acquire = (signal?: AbortSignal): Promise<void> => {
    signal?.throwIfAborted();
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        resolve();
      };
      const onAbort = () => {
        const index = waiting.indexOf(start);
        if (index !== -1) waiting.splice(index, 1);
        reject(signal?.reason);
      };
      waiting.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  const release = () => {
    active--;
    waiting.shift()?.();
  };

  return async (task, signal) => {
    await acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  };
}
