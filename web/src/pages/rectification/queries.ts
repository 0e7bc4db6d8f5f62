/** Query keys of rectification (整改), shared by the case tab and the unit pages. */
export const rectificationKeys = {
  ofCase: (caseId: string) => ['rectification', caseId] as const,
  plan: (planId: string) => ['rectification-plan', planId] as const,
  unitPlans: ['rectification-plans', 'unit'] as const,
  units: ['rectification-units'] as const,
  reminders: ['rectification-reminders'] as const,
};

/** Where a progress attachment is downloaded (only by those who may see the plan, only if attached to the item). */
export const attachmentUrl = (itemId: string, sha256: string) => `/api/v1/rectification/items/${itemId}/attachments/${sha256}`;

/** Today in Beijing (YYYY-MM-DD), the day deadlines are counted in. */
export const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
