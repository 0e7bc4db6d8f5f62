import { AuditOutlined, BarChartOutlined, CheckSquareOutlined, ReadOutlined, SettingOutlined, ShareAltOutlined, CalendarOutlined, DashboardOutlined, EyeOutlined, FileSearchOutlined, FileWordOutlined, KeyOutlined, LockOutlined, LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession, useSignOut } from '../auth/session';
import { ROLE_LABELS } from '../labels';

/** The frame of every signed-in page; without a session it sends the user to sign in and back. */
export function AppLayout() {
  const session = useSession();
  const signOut = useSignOut();
  const location = useLocation();
  const navigate = useNavigate();

  if (session.isLoading) return <Spin fullscreen tip="加载中…" />;
  if (session.isError) return <Result status="error" title="无法连接服务器" subTitle="请稍后刷新页面重试" />;
  const user = session.data;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const selected = ['/admin/security', '/admin/audit', '/cases', '/templates', '/followup', '/selection-check', '/rectification', '/oversight', '/statistics', '/typical-cases/manage', '/sharing', '/settings'].find((k) => location.pathname.startsWith(k)) ?? '/workbench';
  const roles = [...new Set(user.roles.map((g) => g.role))];
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark" breakpoint="lg" collapsedWidth={64}>
        <div style={{ color: '#fff', padding: '16px', fontWeight: 600, fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden' }}>容错纠错工作平台</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          onClick={({ key }) => navigate(key)}
          items={[
            { key: '/workbench', icon: <DashboardOutlined />, label: '工作台' },
            { key: '/cases', icon: <AuditOutlined />, label: '案件' },
            ...(roles.includes('handler') || roles.includes('system-administrator') ? [{ key: '/templates', icon: <FileWordOutlined />, label: '文书模板' }] : []),
            ...(roles.includes('handler') || roles.includes('organization-department') ? [{ key: '/followup', icon: <CalendarOutlined />, label: '回访与研判' }] : []),
            ...(roles.includes('organization-department') ? [{ key: '/selection-check', icon: <SafetyOutlined />, label: '选任审查' }] : []),
            // Handlers make unit plans, supervisors and organization departments check them (Art. 18 ¶2), an
            // official reports on the items they own.
            ...(['handler', 'supervisor', 'organization-department', 'official'].some((r) => roles.includes(r)) ? [{ key: '/rectification', icon: <CheckSquareOutlined />, label: '单位整改' }] : []),
            ...(roles.includes('supervisor') ? [{ key: '/oversight', icon: <EyeOutlined />, label: '监督检查' }] : []),
            ...(roles.includes('handler') || roles.includes('publicity') ? [{ key: '/typical-cases/manage', icon: <ReadOutlined />, label: '典型案例' }] : []),
            ...(['handler', 'organization-department', 'supervisor'].some((r) => roles.includes(r)) ? [{ key: '/sharing', icon: <ShareAltOutlined />, label: '信息共享' }] : []),
            ...(roles.includes('security-administrator') ? [{ key: '/admin/security', icon: <KeyOutlined />, label: '角色与密级' }] : []),
            ...(roles.includes('audit-administrator') ? [{ key: '/admin/audit', icon: <FileSearchOutlined />, label: '审计记录' }] : []),
            // Everyone sets their own e-mail here; administrators also the organs' SMTP.
            { key: '/settings', icon: <SettingOutlined />, label: '设置' },
            ...(['supervisor', 'organization-department', 'handler'].some((r) => roles.includes(r)) ? [{ key: '/statistics', icon: <BarChartOutlined />, label: '统计分析' }] : []),
          ]}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', display: 'flex', justifyContent: 'flex-end', alignItems: 'center' }}>
          <Space>
            <UserOutlined />
            <Typography.Text strong data-testid="current-user">
              {user.displayName}
            </Typography.Text>
            {roles.map((role) => (
              <Tag key={role}>{ROLE_LABELS[role] ?? role}</Tag>
            ))}
            <Button icon={<LockOutlined />} onClick={() => navigate('/account')}>
              账号安全
            </Button>
            <Button
              icon={<LogoutOutlined />}
              onClick={async () => {
                await signOut();
                navigate('/login');
              }}
            >
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
