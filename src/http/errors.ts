import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';
import { PolicyInputError } from '../policy/errors.js';

/** RFC 9457 problem details: what every refused request returns. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  key?: string;
  allowed?: readonly (string | boolean | null)[];
  rule?: string;
  article?: string;
  errors?: { key: string; message: string }[];
}

const problemType = (code: string) => `urn:rongcuo:problem:${code}`;

export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof AppError) {
    return {
      type: problemType(error.code),
      title: error.message,
      status: error.status,
      detail: error.messageEn,
      code: error.code,
      ...(error.key !== undefined ? { key: error.key } : {}),
      ...(error.allowed ? { allowed: error.allowed } : {}),
      ...(error.rule ? { rule: error.rule } : {}),
      ...(error.article ? { article: error.article } : {}),
    };
  }
  if (error instanceof PolicyInputError) {
    return {
      type: problemType(error.code),
      title: error.message,
      status: 400,
      detail: error.messageEn,
      code: error.code,
      key: error.key,
      allowed: error.allowed,
    };
  }
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const errors = fastifyError.validation.map((issue) => ({
      key: [issue.instancePath.replace(/^\//, '').replaceAll('/', '.')].filter(Boolean).join('.') || fastifyError.validationContext || 'body',
      message: issue.message ?? 'invalid',
    }));
    return {
      type: problemType('INVALID_INPUT'),
      title: `请求参数有误：${errors.map((e) => e.key).join('、')}`,
      status: 400,
      detail: errors.map((e) => `${e.key}: ${e.message}`).join('; '),
      code: 'INVALID_INPUT',
      key: errors[0]?.key ?? 'body',
      errors,
    };
  }
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    // The attachment volume is full: nothing was kept (the store writes whole files or none), and the user should
    // know it is the server's storage, not their file, at fault.
    return { type: problemType('STORAGE_FULL'), title: '服务器存储空间不足，文件未保存，请联系系统管理员', status: 507, detail: 'no space left on the file store', code: 'STORAGE_FULL' };
  }
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status === 429) {
    return { type: problemType('RATE_LIMITED'), title: '请求过于频繁，请稍后再试', status, detail: fastifyError.message, code: 'RATE_LIMITED' };
  }
  if (status < 500) {
    // Fastify's own client errors (malformed JSON, body too large, unsupported media type…).
    return {
      type: problemType(fastifyError.code ?? 'BAD_REQUEST'),
      title: status === 415 ? '不支持的请求内容类型' : status === 413 ? '请求内容过大' : '请求格式有误',
      status,
      detail: fastifyError.message,
      code: fastifyError.code ?? 'BAD_REQUEST',
    };
  }
  return { type: problemType('INTERNAL'), title: '服务器内部错误', status: 500, detail: 'internal error', code: 'INTERNAL' };
}

export function sendProblem(reply: FastifyReply, problem: ProblemDetails): FastifyReply {
  return reply.status(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error);
  if (problem.status >= 500) {
    // Method and route only: parameters and bodies may hold personal data.
    request.log.error({ err: error, method: request.method, route: request.routeOptions.url }, 'request failed');
  }
  return sendProblem(reply, problem);
}
