// Node module hooks for tests: a component's `import './x.css'` loads as an empty module (Vite handles CSS in the build).
export async function load(url, context, next) {
  if (url.endsWith('.css')) return { format: 'module', source: '', shortCircuit: true };
  return next(url, context);
}
