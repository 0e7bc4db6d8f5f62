import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import type { SessionUser } from '../api/types';

export type SignInStage = 'enrol-totp' | 'second-factor' | 'change-password' | 'complete';
export type SecondFactorMethod = 'totp' | 'recovery-code' | 'sm2-certificate';

/** Where a sign-in stands (GET /api/v1/session and every sign-in step answer with it). */
export interface SessionState {
  stage: SignInStage;
  /** The signed-in user, once the stage is `complete`. */
  user?: SessionUser;
  /** The account being signed in, while a step is outstanding. */
  account?: { id: string; username: string; displayName: string };
  methods?: SecondFactorMethod[];
  passwordChange?: 'initial' | 'expired';
  passwordRules?: string[];
  serverTime: string;
}

/** The session state, or null when there is no session at all. */
export async function fetchSessionState(): Promise<SessionState | null> {
  try {
    return await api.get<SessionState>('/api/v1/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * The signed-in user, or null when there is no complete session: a sign-in still waiting for its second factor
 * or a password change counts as not signed in, and the sign-in page takes it from there.
 */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      const state = await fetchSessionState();
      return state?.stage === 'complete' ? (state.user ?? null) : null;
    },
    staleTime: 60_000,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api.delete('/api/v1/session').catch(() => undefined);
    client.clear();
    client.setQueryData(['session'], null);
  };
}

export const hasRole = (user: SessionUser | null | undefined, role: string) => Boolean(user?.roles.some((g) => g.role === role));
