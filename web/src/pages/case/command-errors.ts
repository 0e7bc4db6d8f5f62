import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';
import { applyApiError } from '../../components/form-errors';

/** A refusal's text with the article it rests on, so the user always learns which provision stands in the way. */
export function withArticle(error: unknown, text: string): string {
  if (error instanceof ApiError && error.article && !text.includes(error.article)) return `${error.article}：${text}`;
  return text;
}

/**
 * Shows a refused command: next to the field it names when the form has it, otherwise as a message (and in the
 * form's own alert, which stays visible) naming the article. Returns the text shown outside the fields, if any.
 */
export function showCommandError(form: FormInstance, error: unknown, message: { error: (text: string) => unknown }): string | undefined {
  let shown: string | undefined;
  applyApiError(form, error, {
    error: (text: string) => {
      shown = withArticle(error, text);
      return message.error(shown);
    },
  });
  return shown;
}

export const isVersionConflict = (error: unknown) => error instanceof ApiError && error.status === 409 && error.code === 'VERSION_CONFLICT';
