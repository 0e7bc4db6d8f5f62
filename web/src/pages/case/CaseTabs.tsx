import { Card, Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import type { Abilities, CaseAction, CaseView, EvidenceItem } from '../../api/types';
import { DocumentsTab, documentsTabShown } from './documents/DocumentsTab';
import { hasRole, useSession } from '../../auth/session';
import { AccessLogTab } from './tabs/AccessLogTab';
import { AppealsTab } from './tabs/AppealsTab';
import { ApplicationsTab } from './tabs/ApplicationsTab';
import { AssessmentTab } from './tabs/AssessmentTab';
import { DecisionsTab } from './tabs/DecisionsTab';
import { DeliberationsTab } from './tabs/DeliberationsTab';
import { EvidenceList } from './tabs/EvidenceList';
import { ExpertsTab } from './tabs/ExpertsTab';
import { OpinionsTab } from './tabs/OpinionsTab';
import { OverviewTab } from './tabs/OverviewTab';
import { ServicesTab } from './tabs/ServicesTab';
import { RectificationTab, rectificationTabShown } from './rectification/RectificationTab';

interface Props {
  view: CaseView;
  abilities: Abilities;
  evidence: EvidenceItem[];
  evidenceLoading: boolean;
}

interface TabDef {
  key: string;
  label: string;
  count?: number;
  /** Shown when it has something for this user, or the user has an action that belongs to it. */
  shown: boolean;
  render: () => ReactNode;
}

/**
 * The case's records in tabs. Which tabs appear follows what the server sent this user (an official, a party
 * organization or an expert get less) and the actions their role has on the case.
 */
export function CaseTabs({ view, abilities, evidence, evidenceLoading }: Props) {
  const [params, setParams] = useSearchParams();
  const { data: user } = useSession();
  const hasRoleFor = (...actions: CaseAction[]) => actions.some((a) => abilities[a] && abilities[a].code !== 'FORBIDDEN');
  const tabs: TabDef[] = [
    { key: 'overview', label: '概况', shown: true, render: () => <OverviewTab view={view} /> },
    { key: 'evidence', label: '证据', count: evidence.length, shown: evidence.length > 0 || hasRoleFor('recordEvidence'), render: () => <EvidenceList caseId={view.id} items={evidence} loading={evidenceLoading} /> },
    { key: 'experts', label: '专家咨询', count: view.expertInvitations.length, shown: view.expertInvitations.length > 0 || (view.professional && hasRoleFor('inviteExpert')), render: () => <ExpertsTab view={view} evidence={evidence} /> },
    { key: 'opinions', label: '意见', count: view.opinions.length, shown: view.opinions.length > 0 || hasRoleFor('recordOpinion', 'recordStatement'), render: () => <OpinionsTab view={view} /> },
    { key: 'applications', label: '容错申请', count: view.applications.length, shown: view.applications.length > 0 || hasRoleFor('submitApplication'), render: () => <ApplicationsTab view={view} /> },
    { key: 'assessment', label: '容错研判', shown: view.assessment !== null || hasRoleFor('recordAssessment'), render: () => <AssessmentTab view={view} /> },
    { key: 'deliberations', label: '集体研究', count: view.deliberations.length, shown: view.deliberations.length > 0 || hasRoleFor('recordDeliberation'), render: () => <DeliberationsTab view={view} /> },
    { key: 'decisions', label: '处理决定', count: view.decisions.length, shown: view.decisions.length > 0 || hasRoleFor('decide', 'approveDecision'), render: () => <DecisionsTab view={view} /> },
    { key: 'services', label: '送达', count: view.services.length, shown: view.services.length > 0 || hasRoleFor('serve'), render: () => <ServicesTab view={view} /> },
    { key: 'appeals', label: '申诉', count: view.appeals.length, shown: view.appeals.length > 0 || hasRoleFor('lodgeAppeal', 'decideAppeal'), render: () => <AppealsTab view={view} /> },
    { key: 'rectification', label: '整改', shown: rectificationTabShown(view), render: () => <RectificationTab view={view} /> },
    { key: 'documents', label: '文书', shown: documentsTabShown(view, abilities), render: () => <DocumentsTab view={view} /> },
    // The server decides whether this supervisor oversees the case; the tab only appears for supervisors.
    { key: 'access-log', label: '查阅记录', shown: hasRole(user, 'supervisor'), render: () => <AccessLogTab caseId={view.id} /> },
  ];
  const shown = tabs.filter((t) => t.shown);
  const requested = params.get('tab');
  const active = shown.some((t) => t.key === requested) ? requested! : 'overview';
  return (
    <Card size="small">
      <Tabs
        activeKey={active}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={shown.map((t) => ({
          key: t.key,
          label: t.count ? (
            <span>
              {t.label}
              <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
                {t.count}
              </Typography.Text>
            </span>
          ) : (
            t.label
          ),
          children: t.render(),
        }))}
        destroyOnHidden
        size="small"
        tabBarGutter={20}
      />
    </Card>
  );
}
