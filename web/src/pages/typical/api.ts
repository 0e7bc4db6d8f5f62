import { api, ApiError } from '../../api/client';

/** A published typical case as the public page gets it: title, text and day, nothing else. */
export interface PublicTypicalCase {
  id: string;
  title: string;
  body: string;
  publishedOn: string;
}

export interface StaffTypicalCase {
  id: string;
  sourceCaseId: string;
  title: string;
  body: string;
  status: 'draft' | 'submitted' | 'approved' | 'published' | 'returned';
  flaggedTerms: string[];
  version: number;
  returnNote: string | null;
  draftedAt: string;
  updatedAt: string;
  publishedAt: string | null;
  mine: boolean;
  publicity: boolean;
}

export const TYPICAL_STATUS: Record<StaffTypicalCase['status'], { label: string; color: string }> = {
  draft: { label: '草稿', color: 'default' },
  submitted: { label: '待宣传部门审核', color: 'processing' },
  approved: { label: '已审核，待发布', color: 'cyan' },
  published: { label: '已发布', color: 'success' },
  returned: { label: '已退回修改', color: 'warning' },
};

export const typicalKeys = {
  public: ['typical-cases', 'public'] as const,
  staff: ['typical-cases', 'staff'] as const,
  sources: ['typical-cases', 'sources'] as const,
};

/** PUT, which the shared client does not offer: same error handling (problem details → ApiError). */
export async function putJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) throw new ApiError(response.status, String(json.code ?? 'ERROR'), String(json.title ?? `请求失败（${response.status}）`));
  return json as T;
}

export { api, ApiError };
