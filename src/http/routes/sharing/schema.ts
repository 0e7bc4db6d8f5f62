import { z } from 'zod';
import { SHARED_KINDS } from '../../../commands/sharing/share-conclusion.js';

export const ZSharedKind = z.enum(SHARED_KINDS).describe('共享的结论：tolerance-decision 容错处理决定、comprehensive-assessment 综合研判结论、penalty 处分及影响期');

export const ZShare = z.object({
  officialId: z.uuid('干部编号格式不正确'),
  kind: ZSharedKind,
  recordId: z.uuid('结论编号格式不正确'),
  toOrgId: z.uuid('接收单位编号格式不正确'),
  fromOrgId: z.uuid('共享单位编号格式不正确').optional(),
  note: z.string().trim().max(2000, '说明不超过 2000 字').optional(),
});

export const ZShareResult = z.object({
  data: z.object({ id: z.string(), officialId: z.string(), kind: ZSharedKind, recordId: z.string(), fromOrgId: z.string(), toOrgId: z.string(), sharedAt: z.string() }),
});

const ZRef = z.object({ id: z.string(), name: z.string() });
export const ZShareList = z.object({
  data: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        kind: ZSharedKind,
        recordId: z.string(),
        caseId: z.string().nullable(),
        official: z.object({ id: z.string(), name: z.string(), position: z.string() }),
        from: ZRef,
        to: ZRef,
        note: z.string(),
        sharedBy: z.object({ id: z.string(), displayName: z.string() }),
        sharedAt: z.string(),
      }),
    ),
  }),
});

export const ZRecipientsQuery = z.object({
  officialId: z.uuid('干部编号格式不正确'),
  fromOrgId: z.uuid('共享单位编号格式不正确').optional(),
});
export const ZRecipients = z.object({
  data: z.object({
    from: ZRef,
    items: z.array(z.object({ id: z.string(), name: z.string(), shortName: z.string().nullable(), type: z.string() })),
  }),
});
