import {
  AuditOutlined,
  CheckCircleOutlined,
  CloseCircleOutlined,
  ExperimentOutlined,
  FileAddOutlined,
  FileDoneOutlined,
  FormOutlined,
  MessageOutlined,
  SafetyCertificateOutlined,
  SendOutlined,
  SolutionOutlined,
  TeamOutlined,
  ToolOutlined,
  UserAddOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Button, Space, Tooltip } from 'antd';
import { useState, type ReactNode } from 'react';
import type { Abilities, CaseAction, CaseView } from '../../api/types';
import { ACTION_LABELS } from '../../labels';
import { ACTION_FORMS, ACTION_ORDER } from './forms';

const ICONS: Record<CaseAction, ReactNode> = {
  recordEvidence: <FileAddOutlined />,
  recordOpinion: <MessageOutlined />,
  recordStatement: <SolutionOutlined />,
  submitApplication: <FormOutlined />,
  markProfessional: <ToolOutlined />,
  inviteExpert: <UserAddOutlined />,
  recordExpertOpinion: <ExperimentOutlined />,
  recordAssessment: <SafetyCertificateOutlined />,
  recordDeliberation: <TeamOutlined />,
  decide: <AuditOutlined />,
  approveDecision: <CheckCircleOutlined />,
  serve: <SendOutlined />,
  lodgeAppeal: <WarningOutlined />,
  decideAppeal: <FileDoneOutlined />,
  close: <CloseCircleOutlined />,
};

/** Ability codes meaning the user's role can never take the action on this case: no button at all. */
const NEVER = 'FORBIDDEN';

/**
 * One button per action the server lists: enabled when `abilities` allows it, disabled with the server's reason
 * (which quotes the article) when a rule or the step stands in the way, absent when the role can never do it.
 * Nothing here decides what is allowed; the buttons only mirror the server's answer.
 */
export function ActionBar({ view, abilities }: { view: CaseView; abilities: Abilities }) {
  const [opened, setOpened] = useState<{ action: CaseAction; seq: number; open: boolean }>();
  const visible = ACTION_ORDER.filter((action) => abilities[action] && abilities[action].code !== NEVER);
  if (visible.length === 0) return null;
  const Form = opened ? ACTION_FORMS[opened.action] : undefined;
  return (
    <>
      <Space wrap size={[8, 8]} data-testid="action-bar" role="toolbar" aria-label="可执行的操作">
        {visible.map((action) => {
          const ability = abilities[action];
          const button = (
            <Button
              key={action}
              type={ability.allowed ? 'primary' : 'default'}
              icon={ICONS[action]}
              disabled={!ability.allowed}
              data-testid={`action-${action}`}
              onClick={() => setOpened((prev) => ({ action, seq: (prev?.seq ?? 0) + 1, open: true }))}
            >
              {ACTION_LABELS[action] ?? action}
            </Button>
          );
          return ability.allowed ? (
            button
          ) : (
            <Tooltip key={action} title={ability.reason} trigger={['hover', 'focus']}>
              <span tabIndex={0} aria-label={`${ACTION_LABELS[action] ?? action}（不可用：${ability.reason ?? ''}）`} style={{ display: 'inline-block' }}>
                {button}
              </span>
            </Tooltip>
          );
        })}
      </Space>
      {opened && Form && <Form key={opened.seq} view={view} abilities={abilities} open={opened.open} onClose={() => setOpened({ ...opened, open: false })} />}
    </>
  );
}
