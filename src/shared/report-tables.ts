// The tables the report reads: apart from the rows' copy (report-source.ts), so the database's write tracking, which
// every screen loads, does not carry the report's code with it.
export const REPORT_TABLES = ['locations', 'groups', 'participants', 'rounds', 'attendance', 'evaluations', 'stories', 'categories'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

export function isReportTable(t: string): t is ReportTable {
  return (REPORT_TABLES as readonly string[]).includes(t);
}
