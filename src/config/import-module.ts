import { pathToFileURL } from 'node:url';
import { EvalOpsError } from '../core/errors.js';

/**
 * Loads a user module (TS or JS) without a build step. TypeScript goes through tsx's loader API,
 * loaded only when a .ts file is asked for, so plain JS projects and `--version` do not pay for it.
 */
export async function importModule(absolutePath: string): Promise<Record<string, unknown>> {
  try {
    if (/\.(c|m)?tsx?$/.test(absolutePath)) {
      const { tsImport } = await import('tsx/esm/api');
      const ns = (await tsImport(pathToFileURL(absolutePath).href, import.meta.url)) as Record<string, unknown>;
      return unwrapCommonJs(ns);
    }
    return unwrapCommonJs((await import(pathToFileURL(absolutePath).href)) as Record<string, unknown>);
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((cause as Error).message).includes(absolutePath)) {
      throw new EvalOpsError('input', `module not found`, { location: absolutePath, cause });
    }
    throw new EvalOpsError('input', `could not load module: ${(cause as Error).message}`, { location: absolutePath, cause });
  }
}

/** A CommonJS-compiled module arrives as `{ default: { __esModule, ...exports } }`; give its exports. */
function unwrapCommonJs(ns: Record<string, unknown>): Record<string, unknown> {
  const inner = ns['default'];
  if (inner !== null && typeof inner === 'object' && (inner as { __esModule?: unknown }).__esModule === true) {
    return inner as Record<string, unknown>;
  }
  return ns;
}
