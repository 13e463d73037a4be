/**
 * A live response larger than the `audit-response-size` limit; not retried (the next answer would be
 * as large). Every cloud's reader throws it, checked against Content-Length before reading and counted
 * as the body streams.
 */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(
    /** The limit in force, in bytes. */
    readonly limit: number,
    /** The size the response announced (Content-Length), or the bytes read when it went over. */
    readonly found: number,
    /** Whether `found` is the announced size (else the response was longer still). */
    readonly announced: boolean,
  ) {
    super(`the response ${announced ? `announced ${found} bytes` : `went on past ${found} bytes`}, over the ${limit} bytes accepted; it was not read`);
  }
}
