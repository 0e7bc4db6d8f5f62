import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { CaseListPage } from './pages/CaseListPage';
import { CasePage } from './pages/case/CasePage';
import { LoginPage } from './pages/LoginPage';
import { AccountPage } from './pages/account/AccountPage';
import { TemplatesPage } from './pages/templates/TemplatesPage';
import { WorkbenchPage } from './pages/WorkbenchPage';
import { FollowupPage } from './pages/followup/FollowupPage';
import { OversightPage } from './pages/oversight/OversightPage';
import { StatisticsPage } from './pages/statistics/StatisticsPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SharingPage } from './pages/sharing/SharingPage';
import { ManageTypicalCasesPage } from './pages/typical/ManageTypicalCasesPage';
import { PublicTypicalCasesPage } from './pages/typical/PublicTypicalCasesPage';
import { SelectionCheckPage } from './pages/followup/SelectionCheckPage';
import { UnitRectificationPage } from './pages/rectification/UnitRectificationPage';
import { UnitPlanPage } from './pages/rectification/UnitPlanPage';
import { AuditLogPage } from './pages/admin/AuditLogPage';
import { SecurityAdminPage } from './pages/admin/SecurityAdminPage';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Published typical cases: public, no sign-in, nothing else of the system.
  { path: '/typical-cases', element: <PublicTypicalCasesPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/workbench" replace /> },
      { path: 'workbench', element: <WorkbenchPage /> },
      { path: 'cases', element: <CaseListPage /> },
      { path: 'cases/:caseId', element: <CasePage /> },
      { path: 'templates', element: <TemplatesPage /> },
      { path: 'rectification', element: <UnitRectificationPage /> },
      { path: 'rectification/:planId', element: <UnitPlanPage /> },
      { path: 'admin/security', element: <SecurityAdminPage /> },
      { path: 'admin/audit', element: <AuditLogPage /> },
      { path: 'followup', element: <FollowupPage /> },
      { path: 'selection-check', element: <SelectionCheckPage /> },
      { path: 'oversight', element: <OversightPage /> },
      { path: 'statistics', element: <StatisticsPage /> },
      { path: 'typical-cases/manage', element: <ManageTypicalCasesPage /> },
      { path: 'sharing', element: <SharingPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: 'account', element: <AccountPage /> },
      { path: '*', element: <Navigate to="/workbench" replace /> },
    ],
  },
]);
