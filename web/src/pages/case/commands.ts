import { api, ApiError } from '../../api/client';
import type { CaseAction, CommandResult } from '../../api/types';

/** The route of each case command under /api/v1/cases/:id/ (evidence is a multipart upload of its own). */
export const COMMAND_PATHS: Record<Exclude<CaseAction, 'recordEvidence'>, string> = {
  recordOpinion: 'opinions',
  recordStatement: 'statement',
  submitApplication: 'applications',
  markProfessional: 'professional',
  inviteExpert: 'experts',
  recordExpertOpinion: 'expert-opinion',
  recordAssessment: 'assessment',
  recordDeliberation: 'deliberations',
  decide: 'decision',
  approveDecision: 'decision/approval',
  serve: 'service',
  lodgeAppeal: 'appeal',
  decideAppeal: 'appeal/decision',
  close: 'close',
};

/** One command; `version` is the case version the user was looking at, so a change by someone else is a 409. */
export function postCommand(caseId: string, action: Exclude<CaseAction, 'recordEvidence'>, version: number, body: object = {}) {
  return api.post<CommandResult>(`/api/v1/cases/${caseId}/${COMMAND_PATHS[action]}`, { version, ...body });
}

export interface EvidenceUpload {
  title: string;
  kind: string;
  description?: string;
  files: File[];
}

/**
 * Uploads an evidence item as multipart form data. XMLHttpRequest rather than fetch, because only it reports
 * upload progress, and attachments can be large. Refusals become the same ApiError the JSON client throws.
 */
export function uploadEvidence(caseId: string, version: number, upload: EvidenceUpload, onProgress: (percent: number) => void): Promise<{ version: number }> {
  const body = new FormData();
  body.append('version', String(version));
  body.append('title', upload.title);
  body.append('kind', upload.kind);
  if (upload.description) body.append('description', upload.description);
  for (const file of upload.files) body.append('attachments', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/cases/${caseId}/evidence`);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试'));
    xhr.onload = () => {
      let json: Record<string, unknown> = {};
      try {
        json = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : {};
      } catch {
        // A proxy's HTML error page: fall through to the status text below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve({ version: Number(json.version) });
        return;
      }
      const text = (key: string) => (typeof json[key] === 'string' ? (json[key] as string) : undefined);
      reject(
        new ApiError(
          xhr.status,
          text('code') ?? 'ERROR',
          text('title') ?? (xhr.status === 413 ? '上传的文件过大' : `上传失败（${xhr.status}）`),
          text('key'),
          text('rule'),
          text('article'),
          Array.isArray(json.allowed) ? (json.allowed as unknown[]) : undefined,
        ),
      );
    };
    xhr.send(body);
  });
}
