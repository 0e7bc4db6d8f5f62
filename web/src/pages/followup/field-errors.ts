import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';
import { applyApiError } from '../../components/form-errors';

/**
 * Like applyApiError, for forms whose fields the API names inside a list or an object (`items.0.deadline`,
 * `factors.motive`): the error goes next to the form field named by the key's last part when the form has it.
 * Custom inputs hold no ref, so the fields are listed rather than looked up.
 */
export function applyFieldError(form: FormInstance, error: unknown, message: { error: (text: string) => unknown }, fields: readonly string[]): void {
  if (error instanceof ApiError && error.key) {
    const parts = error.key.split(/[.[\]]+/).filter((p) => p !== '' && !/^\d+$/.test(p));
    const field = [...parts].reverse().find((p) => fields.includes(p));
    if (field) {
      form.setFields([{ name: parts[0] === 'factors' && field !== 'factors' ? ['factors', field] : field, errors: [error.message] }]);
      return;
    }
  }
  applyApiError(form, error, message);
}
