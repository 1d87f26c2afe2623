// Placeholder until its helper lands; replaced in this session.
export function GroupPage(_props: Record<string, unknown>) {
  return null;
}
