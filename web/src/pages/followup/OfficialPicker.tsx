import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../api/client';

export interface OfficialOption {
  id: string;
  name: string;
  position?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Props {
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** Officials already known to the page (e.g. from the visits or assessments due), offered first. */
  known?: OfficialOption[];
  placeholder?: string;
  id?: string;
  'data-testid'?: string;
}

/**
 * Picks an official: by name among those the user manages (`GET /api/v1/officials?q=`, handlers only), among the
 * officials the page already knows, or by pasting the official's id (编号) — the organization department, which
 * manages no cases, has no name search.
 */
export function OfficialPicker({ value, onChange, known = [], placeholder = '输入姓名搜索，或粘贴干部编号', id, ...rest }: Props) {
  const [q, setQ] = useState('');
  const search = useQuery({
    queryKey: ['officials', q],
    queryFn: () => api.get<{ data: { id: string; name: string; position?: string; organizationName?: string }[] }>(`/api/v1/officials?limit=20${q ? `&q=${encodeURIComponent(q)}` : ''}`),
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const seen = new Map<string, { value: string; label: string }>();
    const add = (o: { id: string; name: string; position?: string; organizationName?: string }) => {
      if (!seen.has(o.id)) seen.set(o.id, { value: o.id, label: [o.name, o.organizationName ?? o.position].filter(Boolean).join('　') });
    };
    known.filter((o) => !q || o.name.includes(q) || o.id === q).forEach(add);
    (search.data?.data ?? []).forEach(add);
    const trimmed = q.trim();
    if (UUID.test(trimmed) && !seen.has(trimmed)) seen.set(trimmed, { value: trimmed, label: `按编号：${trimmed}` });
    if (value && !seen.has(value)) seen.set(value, { value, label: known.find((k) => k.id === value)?.name ?? `编号：${value}` });
    return [...seen.values()];
  }, [known, search.data, q, value]);

  return (
    <Select
      id={id}
      data-testid={rest['data-testid']}
      value={value}
      onChange={(v) => onChange?.(v)}
      allowClear
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={search.isFetching}
      options={options}
      notFoundContent={q ? '无匹配干部；可粘贴干部编号' : '输入姓名搜索，或粘贴干部编号'}
      style={{ width: '100%' }}
    />
  );
}
