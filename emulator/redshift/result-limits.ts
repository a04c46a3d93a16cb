export interface ResultLimits {
  /** The largest result set a statement may return, in bytes of its records. */
  maxResultBytes: number;
  /** The largest row of a result set, in bytes of its fields. */
  maxRowBytes: number;
}

/**
 * The Data API's limits on what a statement returns, from "Troubleshooting issues for Amazon Redshift
 * Data API" in the Redshift Management Guide: 64 KB per row ("Packet for query is too large") and
 * 500 MB per result set ("Database response exceeded size limit"; earlier versions of the page said 100 MB).
 */
export const awsResultLimits: ResultLimits = { maxRowBytes: 64 * 1024, maxResultBytes: 500 * 1024 * 1024 };

/** A result the Data API refuses to return; the statement fails with it. */
export class ResultTooLargeError extends Error {
  override readonly name = 'ResultTooLargeError';

  static check(options: { rowBytes: number; resultBytes: number; limits: ResultLimits }): ResultTooLargeError | undefined {
    const { rowBytes, resultBytes, limits } = options;
    if (rowBytes > limits.maxRowBytes) {
      return new ResultTooLargeError(`Packet for query is too large: a row of the result holds ${rowBytes} bytes, more than the Data API's ${limits.maxRowBytes} per row; select fewer or shorter columns`);
    }
    if (resultBytes > limits.maxResultBytes) {
      return new ResultTooLargeError(`Database response exceeded size limit: the result set passed the Data API's ${limits.maxResultBytes} bytes; fetch it in parts with LIMIT and OFFSET, or UNLOAD it to S3`);
    }
    return undefined;
  }
}
