import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Spin } from 'antd';
import { useEffect, useState } from 'react';

export interface PreviewTarget {
  url: string;
  filename: string;
  mediaType: string;
}

export const isPreviewable = (mediaType: string) => mediaType.startsWith('image/') || mediaType === 'application/pdf';

/**
 * Shows an image or PDF attachment inline. The server sends attachments only as downloads (Content-Disposition:
 * attachment), so the bytes are fetched and shown from a local object URL, which is released on close.
 */
export function AttachmentPreview({ target, onClose }: { target: PreviewTarget | undefined; onClose: () => void }) {
  const [objectUrl, setObjectUrl] = useState<string>();
  const [failed, setFailed] = useState(false);
  const [framingBlocked, setFramingBlocked] = useState(false);

  // Where the page's security policy does not allow framing local (blob:) documents, say so instead of a blank frame.
  useEffect(() => {
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      if (event.blockedURI.startsWith('blob') && (event.effectiveDirective === 'frame-src' || event.effectiveDirective === 'child-src' || event.effectiveDirective === 'default-src')) setFramingBlocked(true);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => document.removeEventListener('securitypolicyviolation', onViolation);
  }, []);

  useEffect(() => {
    if (!target) return;
    let url: string | undefined;
    let cancelled = false;
    setObjectUrl(undefined);
    setFailed(false);
    fetch(target.url, { credentials: 'same-origin' })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        // The type the server proved from the content, not whatever the blob guesses.
        const blob = new Blob([await response.arrayBuffer()], { type: target.mediaType.split(';')[0] });
        if (cancelled) return;
        url = URL.createObjectURL(blob);
        setObjectUrl(url);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [target]);

  return (
    <Modal
      title={target?.filename}
      open={Boolean(target)}
      onCancel={onClose}
      width={960}
      destroyOnHidden
      footer={
        target && (
          <Button icon={<DownloadOutlined />} href={target.url}>
            下载
          </Button>
        )
      }
    >
      {failed ? (
        <Alert type="error" showIcon title="无法加载附件，请下载后查看" />
      ) : !objectUrl || !target ? (
        <div style={{ textAlign: 'center', padding: 48 }}>
          <Spin description="正在加载…" />
        </div>
      ) : target.mediaType.startsWith('image/') ? (
        <img src={objectUrl} alt={target.filename} style={{ maxWidth: '100%', maxHeight: '70vh', display: 'block', margin: '0 auto' }} />
      ) : framingBlocked ? (
        <Alert type="info" showIcon title="当前安全策略不允许在页面内预览 PDF，请下载后查看。" />
      ) : (
        <iframe title={target.filename} src={objectUrl} style={{ width: '100%', height: '70vh', border: '1px solid #f0f0f0' }} />
      )}
    </Modal>
  );
}
