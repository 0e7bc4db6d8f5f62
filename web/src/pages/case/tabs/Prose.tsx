import { Typography } from 'antd';

/** Text a person wrote, line breaks kept; a dash when there is none. */
export function Prose({ children }: { children: string | null | undefined }) {
  if (!children?.trim()) return <Typography.Text type="secondary">—</Typography.Text>;
  return <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{children}</Typography.Paragraph>;
}
