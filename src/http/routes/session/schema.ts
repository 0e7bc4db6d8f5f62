import { z } from 'zod';

export const ZSignIn = z.object({
  username: z.string().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(256),
});

export const ZSessionUser = z.object({
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    officialId: z.string().nullable(),
    roles: z.array(z.object({ role: z.string(), organizationId: z.string() })),
  }),
});
