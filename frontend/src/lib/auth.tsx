import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  api,
  mayHaveSession,
  onSessionChange,
  refreshSession,
  rememberSession,
  setAccessToken,
  type Schemas,
} from './api-client';

type Me = Schemas['MeResponse'];

interface AuthState {
  /** `undefined` while the session is being restored on load. */
  user: Me | null | undefined;
  signIn: (session: Schemas['TokenResponse']) => void;
  signOut: () => Promise<void>;
  setUser: (me: Me) => void;
  /** Set when a session ended by itself (e.g. the refresh token expired). */
  expired: boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  // A browser that never signed in (or signed out) has no session to restore: it is anonymous at
  // once, without a refresh call that could only be refused.
  const [user, setUser] = useState<Me | null | undefined>(() => (mayHaveSession() ? undefined : null));
  const [expired, setExpired] = useState(false);
  const queryClient = useQueryClient();

  // What the API shows depends on who asks: when the user changes, cached answers are stale,
  // and a signed-out visitor must not find the last user's data in the cache.
  const lastUserId = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (user === undefined) return;
    const id = user?.id ?? null;
    const before = lastUserId.current;
    lastUserId.current = id;
    // The first answer (signed in or not) changes nothing fetched anonymously before it, unless signed in.
    if (before === id || (before === undefined && id === null)) return;
    if (before && id === null) queryClient.removeQueries({ type: 'inactive' });
    void queryClient.invalidateQueries();
  }, [user, queryClient]);

  useEffect(() => {
    let signedIn = false;
    const off = onSessionChange((session) => {
      if (session) {
        signedIn = true;
        setUser(session.user);
      } else {
        if (signedIn) setExpired(true);
        signedIn = false;
        setUser(null);
      }
    });
    if (mayHaveSession()) void refreshSession();
    return () => {
      off();
    };
  }, []);

  const signIn = useCallback((session: Schemas['TokenResponse']) => {
    setAccessToken(session.access_token);
    rememberSession(true);
    setExpired(false);
    setUser(session.user);
  }, []);

  const signOut = useCallback(async () => {
    await api.POST('/api/v1/auth/logout', { body: {} }).catch(() => undefined);
    setAccessToken(null);
    rememberSession(false);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, signIn, signOut, setUser, expired }), [user, signIn, signOut, expired]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
