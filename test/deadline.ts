/**
 * Waiting in tests by deadline, never by a fixed sleep or a measured duration: a test waits as long as the
 * work takes, up to a generous limit, so a slow or busy machine makes it slower but not red.
 */

export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/** Polls `probe` until it returns a value, and fails once `timeoutMs` has passed without one. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  // performance.now(), not Date.now(): a test may freeze or move the Date clock.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new DeadlineExceededError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The work's result, or a failure as soon as `limitMs` has passed: the test does not wait any longer for it. */
export async function withinDeadline<T>(options: { what: string; limitMs: number }, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`${options.what} did not finish within ${options.limitMs / 1000} s`)), options.limitMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
