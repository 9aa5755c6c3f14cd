// Reading the API from a page: SWR keeps each answer by endpoint and request, polls when asked (`refreshInterval`),
// drops a stale answer when the page's request changes, and refetches on `invalidate` after a write.
import useSWR, { mutate, type SWRConfiguration } from "swr";
import { api, apiUrl, type ApiAnswer, type ApiError, type ApiRequest, type ReadEndpoint } from "./client";

/**
 * SWR's key for a read: the endpoint and the URL the request makes. Not the request object itself: SWR tells objects
 * other than plain ones (a URLSearchParams query, an AbortSignal) apart by identity, so each render's new one would be
 * a new key, and a new request, forever.
 */
export function readKey<E extends ReadEndpoint>(endpoint: E, request?: ApiRequest<E>): readonly [E, string] {
  return [endpoint, apiUrl(endpoint, request)];
}

/** The endpoint's answer for this request (null: do not fetch yet), with SWR's loading, error and refresh. */
export function useApi<E extends ReadEndpoint>(endpoint: E | null, request?: ApiRequest<E>, config?: SWRConfiguration<ApiAnswer<E>, ApiError>) {
  return useSWR<ApiAnswer<E>, ApiError, readonly [E, string] | null>(
    endpoint ? readKey(endpoint, request) : null,
    // The key holds the request's URL; the request itself (the same URL) is this render's.
    ([key]) => (api as (endpoint: E, request?: ApiRequest<E>) => Promise<ApiAnswer<E>>)(key, request),
    { revalidateOnFocus: false, ...config },
  );
}

/** Refetch every answer a page holds of these endpoints (after a write that changed them). */
export function invalidate(...endpoints: ReadEndpoint[]): Promise<unknown> {
  return mutate((key) => Array.isArray(key) && endpoints.includes(key[0] as ReadEndpoint));
}

/** Keeps an answer the page already has (a prefetched view) as the endpoint's, without fetching it again. */
export function cache<E extends ReadEndpoint>(endpoint: E, request: ApiRequest<E> | undefined, answer: ApiAnswer<E>): Promise<unknown> {
  return mutate(readKey(endpoint, request), answer, { revalidate: false });
}
