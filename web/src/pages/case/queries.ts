import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { CaseParticipants, CaseResponse, EvidenceItem, PolicyPack, TimelineEvent } from '../../api/types';

/** The query keys of the case page; a successful command refreshes the first three. */
export const caseKeys = {
  case: (id: string) => ['case', id] as const,
  events: (id: string) => ['case-events', id] as const,
  evidence: (id: string) => ['evidence', id] as const,
  participants: (id: string) => ['participants', id] as const,
  policy: (id: string) => ['policy', id] as const,
};

export function useCase(id: string) {
  return useQuery({ queryKey: caseKeys.case(id), queryFn: () => api.get<CaseResponse>(`/api/v1/cases/${id}`) });
}

export function useCaseEvents(id: string) {
  return useQuery({ queryKey: caseKeys.events(id), queryFn: () => api.get<{ data: TimelineEvent[] }>(`/api/v1/cases/${id}/events`) });
}

/** Staff see all evidence, an invited expert what was shared, the official and party organization none. */
export function useEvidence(id: string, enabled = true) {
  return useQuery({ queryKey: caseKeys.evidence(id), queryFn: () => api.get<{ data: EvidenceItem[]; version: number }>(`/api/v1/cases/${id}/evidence`), enabled });
}

/** The organ's deliberation members and the experts; only the organ's staff may ask (others get 404). */
export function useParticipants(id: string, enabled: boolean) {
  return useQuery({
    queryKey: caseKeys.participants(id),
    queryFn: () => api.get<{ data: CaseParticipants }>(`/api/v1/cases/${id}/participants`),
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The pack the case is assessed under: articles, situations, exclusions, factors and guidance, verbatim. */
export function usePolicyPack(policyId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: caseKeys.policy(policyId ?? ''),
    queryFn: () => api.get<{ data: PolicyPack }>(`/api/v1/policies/${encodeURIComponent(policyId ?? '')}`),
    enabled: enabled && Boolean(policyId),
    staleTime: Infinity,
  });
}

/** After a command: what the server says now is the only truth, so everything it may have changed is refetched. */
export function useRefreshCase(id: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: caseKeys.case(id) }),
      client.invalidateQueries({ queryKey: caseKeys.events(id) }),
      client.invalidateQueries({ queryKey: caseKeys.evidence(id) }),
      client.invalidateQueries({ queryKey: ['cases'] }),
    ]);
}
