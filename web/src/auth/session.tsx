import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client';
import type { SessionUser } from '../api/types';

/** The signed-in user, or null when there is no session. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        return (await api.get<{ user: SessionUser }>('/api/v1/session')).user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
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
