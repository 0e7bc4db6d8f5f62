import { useQueryClient } from '@tanstack/react-query';
import { Descriptions, Tag } from 'antd';
import type { CaseView } from '../../../api/types';
import { IDENTIFIER_LABELS, OfficialIdentifier } from '../../../components/OfficialIdentifier';
import { formatTime, label, RANK_LABELS } from '../../../labels';
import { caseKeys, usePolicyPack } from '../queries';
import { SensitivityControl } from '../SensitivityControl';
import { Prose } from './Prose';

/** The case at a glance: the mistake described, the official, the organ, the pack and the dates. */
export function OverviewTab({ view }: { view: CaseView }) {
  const pack = usePolicyPack(view.policy.id);
  const client = useQueryClient();
  return (
    <Descriptions
      bordered
      size="small"
      column={2}
      styles={{ label: { width: 140 } }}
      items={[
        { key: 'description', label: '失误错误问题', span: 2, children: view.description === null ? '—' : <Prose>{view.description}</Prose> },
        { key: 'official', label: '责任追究对象', children: `${view.official.name}（${view.official.position}）` },
        { key: 'rank', label: '职级', children: label(RANK_LABELS, view.official.rank) },
        { key: 'unit', label: '所在单位', children: view.official.organization.name },
        // Staff of the organ see the official's identifiers masked; those who manage the official may reveal and correct them.
        ...(view.official.identifiers
          ? (['idNumber', 'phone'] as const).map((kind) => ({
              key: kind,
              label: IDENTIFIER_LABELS[kind],
              children: (
                <OfficialIdentifier
                  officialId={view.official.id}
                  kind={kind}
                  identifiers={view.official.identifiers!}
                  onChanged={() => void client.invalidateQueries({ queryKey: caseKeys.case(view.id) })}
                />
              ),
            }))
          : []),
        { key: 'organ', label: '责任追究机关', children: view.organ.name },
        { key: 'policy', label: '适用办法', span: 2, children: pack.data ? `《${pack.data.data.title}》（${pack.data.data.issuer}，${view.policy.version}）` : `${view.policy.id}（${view.policy.version}）` },
        { key: 'sensitivity', label: '案件密级', children: <SensitivityControl view={view} /> },
        { key: 'professional', label: '专业性技术性问题', children: view.professional ? <Tag color="purple">涉及，应当听取专家意见</Tag> : '不涉及' },
        { key: 'opened', label: '启动日期', children: formatTime(view.openedAt) },
        { key: 'decided', label: '作出决定', children: formatTime(view.decidedAt) },
        { key: 'served', label: '宣布送达', children: formatTime(view.servedAt) },
        { key: 'deadline', label: '申诉期限', children: formatTime(view.appealDeadline) },
        { key: 'closed', label: '结案', children: formatTime(view.closedAt) },
      ]}
    />
  );
}
