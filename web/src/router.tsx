import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/AppLayout';
import { CaseListPage } from './pages/CaseListPage';
import { CasePage } from './pages/case/CasePage';
import { LoginPage } from './pages/LoginPage';
import { TemplatesPage } from './pages/templates/TemplatesPage';
import { WorkbenchPage } from './pages/WorkbenchPage';
import { FollowupPage } from './pages/followup/FollowupPage';
import { SelectionCheckPage } from './pages/followup/SelectionCheckPage';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/workbench" replace /> },
      { path: 'workbench', element: <WorkbenchPage /> },
      { path: 'cases', element: <CaseListPage /> },
      { path: 'cases/:caseId', element: <CasePage /> },
      { path: 'templates', element: <TemplatesPage /> },
      { path: 'followup', element: <FollowupPage /> },
      { path: 'selection-check', element: <SelectionCheckPage /> },
      { path: '*', element: <Navigate to="/workbench" replace /> },
    ],
  },
]);
