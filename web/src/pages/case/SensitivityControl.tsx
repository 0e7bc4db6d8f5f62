import { useQueryClient } from '@tanstack/react-query';
import { App, Select, Tag } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { CaseView } from '../../api/types';
import { label, SENSITIVITY_LABELS } from '../../labels';
import { caseKeys } from './queries';

const COLORS: Record<number, string> = { 1: 'default', 2: 'orange', 3: 'red' };

/** The case's sensitivity label; the handler conducting it may change it (never above their own clearance). */
export function SensitivityControl({ view }: { view: CaseView }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  if (!view.sensitivityEditable) return <Tag color={COLORS[view.sensitivity]}>{label(SENSITIVITY_LABELS, String(view.sensitivity))}</Tag>;
  return (
    <Select
      data-testid="case-sensitivity"
      aria-label="案件密级"
      size="small"
      style={{ width: 110 }}
      loading={busy}
      value={view.sensitivity}
      options={[1, 2, 3].map((level) => ({ value: level, label: label(SENSITIVITY_LABELS, String(level)) }))}
      onChange={async (level: number) => {
        setBusy(true);
        try {
          await api.put(`/api/v1/cases/${view.id}/sensitivity`, { version: view.version, level });
          message.success(`案件密级已设为“${label(SENSITIVITY_LABELS, String(level))}”`);
        } catch (error) {
          message.error(error instanceof ApiError ? error.message : '设置失败');
        } finally {
          setBusy(false);
          await client.invalidateQueries({ queryKey: caseKeys.case(view.id) });
        }
      }}
    />
  );
}
