import { z } from 'zod';
import { EVIDENCE_KIND_IDS, EVIDENCE_KINDS, MAX_ATTACHMENTS, MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from '../../../commands/record-evidence.js';
import { ALLOWED_EXTENSIONS, ALLOWED_LABELS } from '../../../files/sniff.js';

export const ZCaseParams = z.object({ caseId: z.uuid('案件编号格式不正确') });

export const ZAttachmentParams = ZCaseParams.extend({
  evidenceId: z.uuid('证据编号格式不正确'),
  attachmentId: z.uuid('附件编号格式不正确'),
});

const kindsText = EVIDENCE_KIND_IDS.map((id) => `${id}（${EVIDENCE_KINDS[id]}）`).join('、');

/**
 * The text fields of the upload form, as multipart delivers them (strings). Lengths and the attachments
 * themselves are checked by the command, so the CLI and HTTP refuse the same input the same way.
 */
export const ZEvidenceFields = z.object({
  version: z
    .string('请提供您看到的案件版本号（version）')
    .regex(/^[1-9][0-9]{0,9}$/, '案件版本号（version）应为正整数')
    .transform(Number),
  title: z.string('请填写证据名称'),
  description: z.string().optional(),
  kind: z.enum(EVIDENCE_KIND_IDS, `证据类别应为：${kindsText}`),
});

/** The form's field names: anything else in the form is refused (unknown fields are not ignored). */
export const FORM_FIELDS = ['version', 'title', 'description', 'kind'] as const;
export const ATTACHMENTS_FIELD = 'attachments';

/** The multipart body, for the OpenAPI document only: multipart is read and checked by the handler. */
export const ZEvidenceForm = z.object({
  version: z.int().min(1).describe('您看到的案件版本号；案件已被他人更新时返回 409 VERSION_CONFLICT'),
  title: z.string().min(1).max(MAX_TITLE_LENGTH).describe('证据名称'),
  description: z.string().max(MAX_DESCRIPTION_LENGTH).optional().describe('证据说明'),
  kind: z.enum(EVIDENCE_KIND_IDS).describe(`证据类别：${kindsText}`),
  attachments: z
    .array(z.file())
    .min(1)
    .max(MAX_ATTACHMENTS)
    .describe(`附件，1 至 ${MAX_ATTACHMENTS} 个，按内容识别类型，扩展名须与内容一致；仅接受 ${ALLOWED_LABELS}（${ALLOWED_EXTENSIONS.join(' ')}）`),
});

export const ZAttachment = z.object({
  id: z.string(),
  sha256: z.string().describe('内容的 SHA-256（十六进制）'),
  filename: z.string(),
  mediaType: z.string().describe('按内容识别的类型'),
  size: z.number().int().describe('字节数'),
});

export const ZRecordEvidenceResult = z.object({
  data: z.object({ id: z.string(), attachments: z.array(ZAttachment) }),
  version: z.number().int().describe('案件的新版本号'),
});

/** An attachment as listed: above the reader's clearance only its label shows (`aboveClearance`). */
export const ZListedAttachment = z.object({
  id: z.string(),
  sha256: z.string().nullable().describe('内容的 SHA-256（十六进制）；密级高于本人许可时为 null'),
  filename: z.string().nullable(),
  mediaType: z.string().nullable().describe('按内容识别的类型'),
  size: z.number().int().nullable().describe('字节数'),
  sensitivity: z.number().int().describe('密级：1 普通、2 敏感、3 核心'),
  aboveClearance: z.boolean().describe('密级高于本人的密级许可：不可查看或下载'),
});

export const ZEvidenceItem = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(EVIDENCE_KIND_IDS),
  recordedAt: z.string().describe('ISO 8601'),
  recordedBy: z.string().describe('记录人（用户编号）'),
  attachments: z.array(ZListedAttachment),
});

export const ZEvidenceList = z.object({
  data: z.array(ZEvidenceItem),
  version: z.number().int().describe('案件当前版本号'),
});
