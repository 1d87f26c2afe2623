// Placeholder until its helper lands; replaced in this session.
export function UpdatePrompt(_props: Record<string, unknown>) {
  return null;
}
