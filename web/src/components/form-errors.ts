import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

/**
 * Shows an API refusal where it belongs: next to the field it names when the form has that field, otherwise
 * as a message naming the rule and article when a rule refused.
 */
export function applyApiError(form: FormInstance | undefined, error: unknown, message: { error: (text: string) => unknown }): void {
  if (error instanceof ApiError) {
    const field = error.key?.split(/[.[]/)[0];
    if (form && field && form.getFieldInstance(field) !== undefined) {
      form.setFields([{ name: field, errors: [error.message] }]);
      return;
    }
    message.error(error.message);
    return;
  }
  message.error('操作失败，请稍后重试');
}
