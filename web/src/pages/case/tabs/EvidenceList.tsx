import { DownloadOutlined, EyeOutlined, LockOutlined, PaperClipOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { EvidenceItem } from '../../../api/types';
import { EVIDENCE_KIND_LABELS, formatTime, label, SENSITIVITY_LABELS } from '../../../labels';
import { AttachmentPreview, isPreviewable, type PreviewTarget } from './AttachmentPreview';

const formatSize = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Evidence items with their attachments: download links, and an inline preview of images and PDFs. */
export function EvidenceList({ caseId, items, loading, compact }: { caseId: string; items: EvidenceItem[]; loading?: boolean; compact?: boolean }) {
  const [preview, setPreview] = useState<PreviewTarget>();
  if (loading) return <Spin />;
  if (items.length === 0) return <Empty description="暂无证据材料" image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <>
      {items.map((item) => (
        <Card
          key={item.id}
          size="small"
          style={{ marginBottom: 12 }}
          data-testid="evidence-item"
          title={
            <Space wrap>
              <span>{item.title}</span>
              <Tag>{label(EVIDENCE_KIND_LABELS, item.kind)}</Tag>
            </Space>
          }
          extra={<Typography.Text type="secondary">{formatTime(item.recordedAt)}</Typography.Text>}
        >
          {item.description && !compact && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{item.description}</Typography.Paragraph>}
          {item.attachments.map((a) => {
            const url = `/api/v1/cases/${caseId}/evidence/${item.id}/attachments/${a.id}`;
            if (a.aboveClearance) {
              return (
                <div key={a.id} style={{ display: 'flex', alignItems: 'center', gap: 8 }} data-testid="restricted-attachment">
                  <LockOutlined />
                  <Typography.Text type="secondary">附件（密级：{label(SENSITIVITY_LABELS, String(a.sensitivity))}，高于您的密级许可）</Typography.Text>
                </div>
              );
            }
            return (
              <div key={a.id} style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' }}>
                <PaperClipOutlined />
                {a.sensitivity > 1 && <Tag color={a.sensitivity === 3 ? 'red' : 'orange'}>{label(SENSITIVITY_LABELS, String(a.sensitivity))}</Tag>}
                <a href={url} download={a.filename} title={`下载 ${a.filename}`}>
                  {a.filename}
                </a>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatSize(a.size)}
                </Typography.Text>
                {isPreviewable(a.mediaType) && (
                  <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setPreview({ url, filename: a.filename, mediaType: a.mediaType })} aria-label={`预览 ${a.filename}`}>
                    预览
                  </Button>
                )}
                <Button size="small" type="link" icon={<DownloadOutlined />} href={url} aria-label={`下载 ${a.filename}`}>
                  下载
                </Button>
              </div>
            );
          })}
        </Card>
      ))}
      <AttachmentPreview target={preview} onClose={() => setPreview(undefined)} />
    </>
  );
}
