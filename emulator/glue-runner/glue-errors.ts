/** An error the Glue API returns to the caller, with AWS's error code. */
export class GlueApiError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = code;
  }
}
