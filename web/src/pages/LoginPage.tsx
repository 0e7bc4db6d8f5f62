import { KeyOutlined, LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, QRCode, Space, Spin, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../api/client';
import { fetchSessionState, type SessionState } from '../auth/session';
import { applyApiError } from '../components/form-errors';

type Step = 'loading' | 'password' | 'enrol-totp' | 'recovery-codes' | 'second-factor' | 'change-password';

/**
 * 登录: the password, then the second factor — binding an authenticator app on the first sign-in (QR code, then
 * the recovery codes shown once), or a code from it — then a password change when one is due (the first
 * sign-in of an account someone else set up, or a password past its maximum age). A reload resumes the step.
 */
export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const [step, setStep] = useState<Step>('loading');
  const [state, setState] = useState<SessionState>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);
  const [notice, setNotice] = useState<string>();

  const advance = useCallback(
    (next: SessionState) => {
      setState(next);
      if (next.stage === 'complete' && next.user) {
        client.setQueryData(['session'], next.user);
        navigate(params.get('next') ?? '/workbench', { replace: true });
        return;
      }
      setStep(next.stage as Step);
    },
    [client, navigate, params],
  );

  /** The pending session ended (idle, locked, expired): back to the password. */
  const restart = useCallback((message?: string) => {
    setState(undefined);
    setRecoveryCodes([]);
    setNotice(message);
    setStep('password');
  }, []);

  useEffect(() => {
    fetchSessionState()
      .then((current) => (current ? advance(current) : setStep('password')))
      .catch(() => setStep('password'));
    // Once, on arrival: a sign-in left half-way resumes where it stood.
  }, []);

  const cancel = async () => {
    await api.delete('/api/v1/session').catch(() => undefined);
    restart();
  };

  /** Handles what ends the pending session; the step shows anything else itself. */
  const onStepError = useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.code === 'NOT_SIGNED_IN') {
        restart('登录已超时或已中止，请重新输入用户名和密码');
        return true;
      }
      return false;
    },
    [restart],
  );

  let content: React.ReactNode;
  switch (step) {
    case 'loading':
      content = <Spin style={{ display: 'block', margin: '32px auto' }} />;
      break;
    case 'password':
      content = <PasswordStep notice={notice} onDone={advance} />;
      break;
    case 'enrol-totp':
      content = (
        <EnrolStep
          onDone={(codes, next) => {
            setRecoveryCodes(codes);
            setState(next);
            setStep('recovery-codes');
          }}
          onError={onStepError}
        />
      );
      break;
    case 'recovery-codes':
      content = <RecoveryCodesStep codes={recoveryCodes} onDone={() => state && advance(state)} />;
      break;
    case 'second-factor':
      content = <SecondFactorStep methods={state?.methods ?? ['totp']} onDone={advance} onError={onStepError} />;
      break;
    case 'change-password':
      content = <ChangePasswordStep state={state} onDone={advance} onError={onStepError} />;
      break;
  }

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: step === 'password' || step === 'loading' ? 380 : 480 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          容错纠错工作平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          {state?.account ? `${state.account.displayName}，请完成登录` : '激励干部担当作为 · 实施容错纠错'}
        </Typography.Paragraph>
        {content}
        {step !== 'password' && step !== 'loading' && step !== 'recovery-codes' && (
          <Button type="link" block onClick={cancel} style={{ marginTop: 8 }}>
            返回，重新登录
          </Button>
        )}
      </Card>
    </div>
  );
}

type StepErrorHandler = (error: unknown) => boolean;

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : '操作失败，请稍后重试';
}

function PasswordStep({ notice, onDone }: { notice: string | undefined; onDone: (state: SessionState) => void }) {
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const onFinish = async (values: { username: string; password: string }) => {
    setLoading(true);
    setError(undefined);
    try {
      onDone(await api.post<SessionState>('/api/v1/session', values));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请稍后重试');
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      {notice && !error && <Alert type="info" showIcon title={notice} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus id="username" />
        </Form.Item>
        <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" id="password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={loading}>
          登录
        </Button>
      </Form>
    </>
  );
}

const codeRules = [
  { required: true, message: '请输入验证码' },
  { pattern: /^\s*\d{6}\s*$/, message: '验证码为 6 位数字' },
];

function EnrolStep({ onDone, onError }: { onDone: (codes: string[], next: SessionState) => void; onError: StepErrorHandler }) {
  const [enrolment, setEnrolment] = useState<{ uri: string; secret: string }>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    api
      .get<{ uri: string; secret: string }>('/api/v1/session/totp-enrolment')
      .then(setEnrolment)
      .catch((e: unknown) => onError(e) || setError(errorText(e)));
  }, [onError]);
  const onFinish = async ({ code }: { code: string }) => {
    setLoading(true);
    setError(undefined);
    try {
      const { recoveryCodes, session } = await api.post<{ recoveryCodes: string[]; session: SessionState }>('/api/v1/session/totp-enrolment', { code: code.trim() });
      onDone(recoveryCodes, session);
    } catch (e) {
      if (!onError(e)) setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Typography.Title level={5}>绑定身份验证器（第二重身份验证）</Typography.Title>
      <Typography.Paragraph>
        按照等级保护要求，每个账号登录时须使用两种身份鉴别方式。请用手机上的身份验证器应用（如 Microsoft Authenticator、Google 身份验证器、FreeOTP 等）扫描下方二维码，然后输入应用显示的 6 位验证码。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      {enrolment ? (
        <Space orientation="vertical" align="center" style={{ width: '100%', marginBottom: 16 }}>
          <div data-testid="totp-qr">
            <QRCode value={enrolment.uri} size={180} />
          </div>
          <Typography.Text type="secondary">无法扫码时，可在应用中手动输入密钥：</Typography.Text>
          <Typography.Text code copyable={{ text: enrolment.secret }} data-testid="totp-secret">
            {enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}
          </Typography.Text>
        </Space>
      ) : (
        !error && <Spin style={{ display: 'block', margin: '16px auto' }} />
      )}
      <Form name="enrol" layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item label="验证码" name="code" rules={codeRules}>
          <Input prefix={<SafetyCertificateOutlined />} inputMode="numeric" autoComplete="one-time-code" maxLength={8} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={loading} disabled={!enrolment}>
          绑定并继续
        </Button>
      </Form>
    </>
  );
}

function RecoveryCodesStep({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <>
      <Typography.Title level={5}>保存恢复码</Typography.Title>
      <Alert
        type="warning"
        showIcon
        title="恢复码只显示这一次"
        description="手机丢失或无法使用身份验证器时，可用恢复码代替验证码登录，每个恢复码只能使用一次。请立即抄写或打印，妥善保管，不要保存在手机上。"
        style={{ marginBottom: 16 }}
      />
      <div data-testid="recovery-codes" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8, fontFamily: 'monospace', fontSize: 16, marginBottom: 16 }}>
        {codes.map((code) => (
          <Typography.Text key={code} code>
            {code}
          </Typography.Text>
        ))}
      </div>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text copyable={{ text: codes.join('\n'), tooltips: ['复制全部恢复码', '已复制'] }}>复制全部</Typography.Text>
        <Button type="primary" onClick={onDone}>
          我已妥善保存，继续
        </Button>
      </Space>
    </>
  );
}

function SecondFactorStep({ methods, onDone, onError }: { methods: string[]; onDone: (state: SessionState) => void; onError: StepErrorHandler }) {
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [challenge, setChallenge] = useState<string>();
  const submit = async (body: Record<string, string>) => {
    setLoading(true);
    setError(undefined);
    try {
      onDone(await api.post<SessionState>('/api/v1/session/second-factor', body));
    } catch (e) {
      if (!onError(e)) setError(errorText(e));
      // An SM2 challenge is spent by any answer.
      setChallenge(undefined);
    } finally {
      setLoading(false);
    }
  };
  const items = [
    ...(methods.includes('totp')
      ? [
          {
            key: 'totp',
            label: '动态验证码',
            children: (
              <Form name="totp" layout="vertical" onFinish={({ code }: { code: string }) => submit({ method: 'totp', code: code.trim() })} requiredMark={false}>
                <Form.Item label="验证码" name="code" rules={codeRules} extra="打开手机上的身份验证器，输入本平台当前显示的 6 位数字。">
                  <Input prefix={<SafetyCertificateOutlined />} inputMode="numeric" autoComplete="one-time-code" autoFocus maxLength={8} />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={loading}>
                  验证并登录
                </Button>
              </Form>
            ),
          },
        ]
      : []),
    ...(methods.includes('recovery-code')
      ? [
          {
            key: 'recovery-code',
            label: '恢复码',
            children: (
              <Form name="recovery" layout="vertical" onFinish={({ code }: { code: string }) => submit({ method: 'recovery-code', code })} requiredMark={false}>
                <Form.Item label="恢复码" name="code" rules={[{ required: true, message: '请输入恢复码' }]} extra="绑定身份验证器时保存的恢复码，每个只能使用一次。">
                  <Input prefix={<KeyOutlined />} autoComplete="off" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={loading}>
                  验证并登录
                </Button>
              </Form>
            ),
          },
        ]
      : []),
    ...(methods.includes('sm2-certificate')
      ? [
          {
            key: 'sm2-certificate',
            label: 'SM2 证书',
            children: (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  使用 USB Key 中的 SM2 证书对挑战值签名（SM3 杂凑、默认用户标识），将签名值（r‖s 十六进制）粘贴到下方。挑战值两分钟内有效，只能使用一次。
                </Typography.Paragraph>
                {challenge ? (
                  <>
                    <Typography.Text code copyable data-testid="sm2-challenge">
                      {challenge}
                    </Typography.Text>
                    <Form name="sm2" layout="vertical" onFinish={({ signature }: { signature: string }) => submit({ method: 'sm2-certificate', signature: signature.trim() })} requiredMark={false}>
                      <Form.Item label="签名值" name="signature" rules={[{ required: true, message: '请粘贴签名值' }, { pattern: /^\s*[0-9a-fA-F]{128}\s*$/, message: '签名值须为 128 位十六进制' }]}>
                        <Input.TextArea rows={3} />
                      </Form.Item>
                      <Button type="primary" htmlType="submit" block loading={loading}>
                        验证并登录
                      </Button>
                    </Form>
                  </>
                ) : (
                  <Button
                    block
                    onClick={async () => {
                      setError(undefined);
                      try {
                        setChallenge((await api.post<{ challenge: string }>('/api/v1/session/sm2-challenge')).challenge);
                      } catch (e) {
                        if (!onError(e)) setError(errorText(e));
                      }
                    }}
                  >
                    获取挑战值
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Typography.Title level={5}>第二重身份验证</Typography.Title>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Tabs items={items} />
    </>
  );
}

function ChangePasswordStep({ state, onDone, onError }: { state: SessionState | undefined; onDone: (state: SessionState) => void; onError: StepErrorHandler }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string; confirm: string }>();
  const [loading, setLoading] = useState(false);
  const onFinish = async ({ newPassword }: { newPassword: string }) => {
    setLoading(true);
    try {
      const next = await api.put<SessionState>('/api/v1/session/password', { newPassword });
      message.success('密码已修改');
      onDone(next);
    } catch (e) {
      if (!onError(e)) applyApiError(form, e, message);
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Typography.Title level={5}>修改密码</Typography.Title>
      <Alert
        type="info"
        showIcon
        title={state?.passwordChange === 'expired' ? '密码已超过有效期，请设置新密码后继续' : '首次登录须修改初始密码，请设置只有您本人知道的新密码'}
        style={{ marginBottom: 16 }}
      />
      {state?.passwordRules && (
        <ul data-testid="password-rules" style={{ paddingLeft: 20, color: 'rgba(0,0,0,0.65)' }}>
          {state.passwordRules.map((rule) => (
            <li key={rule}>{rule}</li>
          ))}
        </ul>
      )}
      <Form form={form} name="change-password" layout="vertical" onFinish={onFinish} requiredMark={false}>
        <Form.Item label="新密码" name="newPassword" rules={[{ required: true, message: '请输入新密码' }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item
          label="确认新密码"
          name="confirm"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={loading}>
          修改密码并登录
        </Button>
      </Form>
    </>
  );
}
