import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from '../api/schema';

export type Schemas = components['schemas'];

/**
 * The access token lives only in memory; the refresh token is an HttpOnly cookie the browser
 * sends to /api/v1/auth only. A reload restores the session through `refreshSession`.
 */
let accessToken: string | null = null;
let refreshing: Promise<Schemas['TokenResponse'] | null> | null = null;
const listeners = new Set<(session: Schemas['TokenResponse'] | null) => void>();

export function setAccessToken(token: string | null) {
  accessToken = token;
}

/** Called with the new session after a silent refresh, or `null` when the session ended. */
export function onSessionChange(listener: (session: Schemas['TokenResponse'] | null) => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const SESSION_HINT = 'pnyx.session';

/**
 * Whether this browser may hold a refresh cookie: set when signed in, cleared on sign-out and when
 * a refresh is refused. The cookie is HttpOnly, so the app cannot see it; without this hint an
 * anonymous visitor's every load would ask for a refresh and log its 401 in the console. It holds no
 * secret (only "1").
 */
export function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT) === '1';
  } catch {
    // Storage unavailable (private mode): ask the server, as without the hint.
    return true;
  }
}

export function rememberSession(signedIn: boolean) {
  try {
    if (signedIn) localStorage.setItem(SESSION_HINT, '1');
    else localStorage.removeItem(SESSION_HINT);
  } catch {
    // Storage unavailable: nothing to remember.
  }
}

/** Exchanges the refresh cookie for a new session; concurrent callers share one request. */
export function refreshSession(): Promise<Schemas['TokenResponse'] | null> {
  refreshing ??= fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'include' })
    .then(async (res) => {
      // Refused: no session any more (a network failure proves nothing and keeps the hint).
      rememberSession(res.ok);
      return res.ok ? ((await res.json()) as Schemas['TokenResponse']) : null;
    })
    .catch(() => null)
    .then((session) => {
      accessToken = session?.access_token ?? null;
      listeners.forEach((l) => l(session));
      return session;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

const retried = new WeakSet<Request>();
const originals = new WeakMap<Request, Request>();

/** Adds the bearer token; on a 401 refreshes once and retries, else reports the session over. */
export const authMiddleware: Middleware = {
  onRequest({ request }) {
    if (accessToken) request.headers.set('Authorization', `Bearer ${accessToken}`);
    originals.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const isAuthCall = new URL(request.url).pathname.startsWith('/api/v1/auth/');
    if (response.status !== 401 || isAuthCall || retried.has(request) || !accessToken) return response;
    const session = await refreshSession();
    const original = originals.get(request);
    if (!session || !original) return response;
    const retry = new Request(original, { headers: new Headers(original.headers) });
    retry.headers.set('Authorization', `Bearer ${session.access_token}`);
    retried.add(retry);
    return fetch(retry);
  },
};

/** The one API client of the app. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });
api.use(authMiddleware);
