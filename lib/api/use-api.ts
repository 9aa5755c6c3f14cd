// Reading the API from a page: SWR keeps each answer by endpoint and request, polls when asked (`refreshInterval`),
// drops a stale answer when the page's request changes, and refetches on `invalidate` after a write.
import useSWR, { mutate, type SWRConfiguration } from "swr";
import { api, type ApiAnswer, type ApiError, type ApiRequest, type ReadEndpoint } from "./client";

type Key<E extends ReadEndpoint> = readonly [E, ApiRequest<E> | undefined];

/** The endpoint's answer for this request (null: do not fetch yet), with SWR's loading, error and refresh. */
export function useApi<E extends ReadEndpoint>(endpoint: E | null, request?: ApiRequest<E>, config?: SWRConfiguration<ApiAnswer<E>, ApiError>) {
  return useSWR<ApiAnswer<E>, ApiError, Key<E> | null>(
    endpoint ? [endpoint, request] : null,
    ([key, keyRequest]) => (api as (endpoint: E, request?: ApiRequest<E>) => Promise<ApiAnswer<E>>)(key, keyRequest),
    { revalidateOnFocus: false, ...config },
  );
}

/** Refetch every answer a page holds of these endpoints (after a write that changed them). */
export function invalidate(...endpoints: ReadEndpoint[]): Promise<unknown> {
  return mutate((key) => Array.isArray(key) && endpoints.includes(key[0] as ReadEndpoint));
}

/** Keeps an answer the page already has (a prefetched view) as the endpoint's, without fetching it again. */
export function cache<E extends ReadEndpoint>(endpoint: E, request: ApiRequest<E> | undefined, answer: ApiAnswer<E>): Promise<unknown> {
  return mutate([endpoint, request], answer, { revalidate: false });
}
