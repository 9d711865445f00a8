import { EvalOpsError } from '../core/errors.js';
import { renderTemplate } from '../core/template.js';
import { readResponseText } from './read-response-text.js';

/** A version endpoint answers with a short identifier (a SHA, a build number), not a page. */
const MAX_VERSION_CHARS = 1_000;

/**
 * Asks a deployment which version it runs (`cache.versionUrl`, fetched once per run, with the target's
 * headers), so a redeploy behind the same URL is a new variant even when the config is unchanged.
 * An unreachable endpoint or an error status is a `target` error (exit 4); an empty answer is a
 * config error naming `target.cache.versionUrl`.
 * @example await deploymentVersion('http://bot.internal/version', {}, 5_000) // 'a1b2c3d'
 */
export async function deploymentVersion(url: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<string> {
  const location = 'target.cache.versionUrl';
  if (!URL.canParse(url)) throw new EvalOpsError('config', `invalid url "${url}"`, { location });
  const rendered = new Headers();
  for (const [name, value] of Object.entries(headers)) rendered.set(name, renderTemplate(value, { env: process.env }));
  let text: string;
  try {
    const response = await fetch(url, { headers: rendered, signal: AbortSignal.timeout(timeoutMs) });
    text = await readResponseText(response);
    if (!response.ok) throw new EvalOpsError('target', `cache.versionUrl ${url} answered HTTP ${response.status}`, { location });
  } catch (cause) {
    if (cause instanceof EvalOpsError) throw cause;
    throw new EvalOpsError('target', `cache.versionUrl ${url} could not be read: ${(cause as Error).message}`, { location, cause });
  }
  const version = text.trim().slice(0, MAX_VERSION_CHARS);
  if (version === '') throw new EvalOpsError('config', `cache.versionUrl ${url} answered with an empty body`, { location });
  return version;
}
