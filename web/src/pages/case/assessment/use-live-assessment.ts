import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../../api/client';
import type { AssessmentInput, AssessmentResult } from '../../../api/types';

/** How long the form must stay still before the engine is asked again. */
const DEBOUNCE_MS = 300;

/**
 * The engine's recommendation for the form as it is now, asked of the server (the browser never evaluates the
 * rules itself), at most once per pause in typing; the previous answer stays on screen while the next loads.
 */
export function useLiveAssessment(input: AssessmentInput | undefined) {
  const json = input ? JSON.stringify(input) : undefined;
  const [settled, setSettled] = useState(json);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(json), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [json]);
  const query = useQuery({
    queryKey: ['assess', settled],
    queryFn: () => api.post<AssessmentResult>('/api/v1/assess', JSON.parse(settled ?? '{}') as unknown),
    enabled: settled !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  return { ...query, pending: json !== settled || query.isFetching };
}
