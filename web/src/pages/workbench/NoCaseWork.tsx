import { Button, Result, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { LATER_FOR_ROLE } from './tasks';

/** For roles with no case work yet: what the 工作台 will hold for them, rather than a bare empty list. */
export function NoCaseWork({ roles, seesCases }: { roles: string[]; seesCases: boolean }) {
  const navigate = useNavigate();
  const notes = roles.map((role) => LATER_FOR_ROLE[role]).filter((n) => n !== undefined);
  return (
    <Result
      status="info"
      title="目前没有需要您办理的案件事项"
      subTitle="工作台按您的角色列出需要办理的事项。"
      extra={seesCases ? <Button onClick={() => navigate('/cases')}>查看案件</Button> : null}
    >
      {notes.map((note) => (
        <Typography.Paragraph key={note.title}>
          <Typography.Text strong>{note.title}：</Typography.Text>
          {note.later}
          {note.today ? <Typography.Text type="secondary">{note.today}</Typography.Text> : null}
        </Typography.Paragraph>
      ))}
      {notes.length === 0 ? <Typography.Paragraph>有新的事项时，将在这里提醒您。</Typography.Paragraph> : null}
    </Result>
  );
}
