import { ApiError } from '../../api/client';

/** PUT with a JSON body, refusals as ApiError (the shared client has no PUT yet). */
export async function put<T>(url: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'PUT', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const problem = (json ?? {}) as { title?: string; code?: string; key?: string; rule?: string; article?: string; allowed?: unknown[] };
    throw new ApiError(response.status, problem.code ?? 'ERROR', problem.title ?? `请求失败（${response.status}）`, problem.key, problem.rule, problem.article, problem.allowed);
  }
  return json as T;
}
