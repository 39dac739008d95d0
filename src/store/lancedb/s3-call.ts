/**
 * One S3 request, its failure turned into a ShortlistError that names what was being done and
 * how to fix it: a missing bucket (NOT_FOUND), denied credentials (UNAUTHORIZED), anything else
 * (NETWORK_ERROR, naming the endpoint settings). Used by every S3 client of the project.
 */
import { isShortlistError, ShortlistError } from '../../core/errors.ts';

/**
 * Runs `fn`; a failure becomes a ShortlistError naming `what` (e.g. "read s3://b/p/x.json") and
 * `bucket`. Errors for which `passThrough` is true (e.g. a failed precondition the caller
 * handles) and ShortlistErrors are rethrown as they are.
 */
export async function callS3<T>(what: string, bucket: string, fn: () => Promise<T>, passThrough?: (err: unknown) => boolean): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isShortlistError(err) || passThrough?.(err)) throw err;
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (e.name === 'NoSuchBucket')
      throw new ShortlistError('NOT_FOUND', `could not ${what}: the bucket ${bucket} does not exist; create it first`, { cause: err });
    if (status === 401 || status === 403)
      throw new ShortlistError(
        'UNAUTHORIZED',
        `could not ${what}: access denied (${e.name}); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE`,
        { cause: err },
      );
    throw new ShortlistError(
      'NETWORK_ERROR',
      `could not ${what}: ${e.name ?? 'error'}: ${e.message ?? String(err)}; check AWS_ENDPOINT_URL and AWS_REGION`,
      { cause: err },
    );
  }
}
