import { z } from 'zod';

/**
 * The engine validates the assessment itself, so the HTTP face and the CLI refuse bad input with the same
 * error (the bad key and the allowed values). The schema here documents the shape for OpenAPI.
 */
export const ZAssessmentInput = z.unknown().describe(
  '一次研判的输入：{"policy":"bj-2020","situations":["reform-pilot"],"exclusions":{"improper-benefit":false},"factors":{"motive.purpose":"public"}}；除 situations 外均可省略。',
);

const ZIds = z.array(z.string());

export const ZAssessmentOutput = z.object({
  policy: z.object({ id: z.string(), version: z.string(), title: z.string() }),
  recommendation: z.enum(['exempt', 'reduced', 'not_tolerated']),
  binding: z.boolean(),
  complete: z.boolean(),
  missing: ZIds,
  excludedBy: ZIds,
  situations: ZIds,
  favourable: ZIds,
  unfavourable: ZIds,
  decisive: ZIds,
  offset: ZIds,
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  trace: z.array(
    z.object({
      step: z.string(),
      article: z.string(),
      text: z.string().describe('条款原文'),
      effect: z.string(),
      subject: z.string().optional(),
      value: z.string().optional(),
      count: z.number().int().optional(),
      note: z.string().describe('通俗说明'),
    }),
  ),
});

export const ZPolicySummary = z.object({ id: z.string(), version: z.string(), title: z.string(), effectiveFrom: z.string() });
