// Placeholder until its helper lands; replaced in this session.
export function SyncScreen(_props: Record<string, unknown>) {
  return null;
}
