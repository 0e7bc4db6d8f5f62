/**
 * The application's error vocabulary. Every refusal a user can meet is one of these, with a stable code that
 * the web app and API clients can rely on, and a message in Chinese (shown) and English (for logs and
 * developers). Rule errors (added with the case procedure) also carry their rule id and article.
 */
export interface AppErrorDetails {
  code: string;
  status: number;
  message: string;
  messageEn: string;
  /** The field or key at fault, and what was allowed there. */
  key?: string;
  allowed?: readonly (string | boolean | null)[];
  rule?: string;
  article?: string;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly messageEn: string;
  readonly key: string | undefined;
  readonly allowed: readonly (string | boolean | null)[] | undefined;
  readonly rule: string | undefined;
  readonly article: string | undefined;

  constructor(details: AppErrorDetails) {
    super(details.message);
    this.name = 'AppError';
    this.code = details.code;
    this.status = details.status;
    this.messageEn = details.messageEn;
    this.key = details.key;
    this.allowed = details.allowed;
    this.rule = details.rule;
    this.article = details.article;
  }
}

/** No valid session: sign in first. The web app sends the user to the sign-in page. */
export const notSignedIn = () =>
  new AppError({ code: 'NOT_SIGNED_IN', status: 401, message: '请先登录', messageEn: 'sign in first' });

/** Wrong username or password, or a disabled account — deliberately indistinguishable to the caller. */
export const invalidCredentials = () =>
  new AppError({ code: 'INVALID_CREDENTIALS', status: 401, message: '用户名或密码错误', messageEn: 'wrong username or password' });

/** The resource does not exist or the user may not see it; the two are not told apart. */
export const notFound = (what = '资源') =>
  new AppError({ code: 'NOT_FOUND', status: 404, message: `${what}不存在或无权查看`, messageEn: 'not found' });

/** The request body, query or parameters failed validation; `key` names the field. */
export const invalidInput = (key: string, message: string, messageEn: string, allowed?: readonly (string | boolean | null)[]) =>
  new AppError({ code: 'INVALID_INPUT', status: 400, message, messageEn, key, ...(allowed ? { allowed } : {}) });

/** Someone else changed the case since this user read it: reload and try again. Nothing was written. */
export const versionConflict = (expected: number, actual: number) =>
  new AppError({
    code: 'VERSION_CONFLICT',
    status: 409,
    message: `案件已被他人更新（您看到的是第 ${expected} 版，当前为第 ${actual} 版），请刷新后重试`,
    messageEn: `the case was changed by someone else (expected version ${expected}, found ${actual}); reload and retry`,
    key: 'version',
  });

/** The user may see the case but may not take this action on it (their role does not allow it). */
export const forbidden = (message: string, messageEn: string) =>
  new AppError({ code: 'FORBIDDEN', status: 403, message, messageEn });

/** The action does not fit the case's current step. */
export const invalidState = (message: string, messageEn: string) =>
  new AppError({ code: 'INVALID_STATE', status: 409, message, messageEn });
