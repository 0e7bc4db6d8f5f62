import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space, Typography, type ButtonProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../../api/client';

/** The name the server gave the file (RFC 8187 `filename*` first, then the plain `filename`). */
function filenameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(disposition)?.[1];
}

/**
 * Fetches a file and hands it to the browser as a download. A refusal (a 503 without LibreOffice, a 409 before
 * the case file is sealed) is thrown as an ApiError with the server's Chinese message, so it can be shown instead
 * of a broken download.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试');
  }
  if (!response.ok) {
    let problem: { title?: string; code?: string; key?: string } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // not a problem document
    }
    throw new ApiError(response.status, problem.code ?? 'ERROR', problem.title ?? `下载失败（${response.status}）`, problem.key);
  }
  const blob = await response.blob();
  const name = filenameOf(response.headers.get('content-disposition')) ?? fallbackName;
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = name;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has taken the bytes once the click is handled; keep the URL a while for slow disks.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

interface DownloadButtonProps extends Omit<ButtonProps, 'onClick' | 'loading' | 'children'> {
  url: string;
  /** Used when the server sends no file name. */
  filename: string;
  children: ReactNode;
}

/** A button that downloads through `downloadFile` and shows a refusal beside itself rather than a broken file. */
export function DownloadButton({ url, filename, children, icon = <DownloadOutlined />, ...rest }: DownloadButtonProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Space size={4} wrap>
      <Button
        {...rest}
        icon={icon}
        loading={busy}
        onClick={async () => {
          setBusy(true);
          setError(undefined);
          try {
            await downloadFile(url, filename);
          } catch (e) {
            setError(e instanceof ApiError ? e.message : '下载失败，请稍后重试');
          } finally {
            setBusy(false);
          }
        }}
      >
        {children}
      </Button>
      {error && (
        <Typography.Text type="danger" role="alert" data-testid="download-error" style={{ fontSize: 12 }}>
          {error}
        </Typography.Text>
      )}
    </Space>
  );
}
