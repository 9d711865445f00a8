import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModule } from '../../src/config/import-module.js';
import { EvalOpsError } from '../../src/core/errors.js';
import { TARGET_TYPES, TargetConfigSchema } from '../../src/core/target-config.js';
import { createTarget } from '../../src/targets/create-target.js';
import { targetRegistry } from '../../src/targets/registry.js';
import type { InvokeContext, TargetDeps } from '../../src/targets/target.js';
import { sendJson, startScriptedHttpServer, type ScriptedHttpServer } from '../support/scripted-http-server.js';
import { tempFiles, type TempFiles } from '../support/temp-files.js';

let files: TempFiles;
let server: ScriptedHttpServer;
let deps: TargetDeps;
const ctx: InvokeContext = { exampleId: 'e', trial: 0, metadata: {}, signal: new AbortController().signal };

beforeAll(async () => {
  files = await tempFiles({ 'agent.mjs': "export default (input) => 'module:' + input;\n" });
  server = await startScriptedHttpServer((req, res) => sendJson(res, 200, `http:${(JSON.parse(req.body) as { input: string }).input}`));
  deps = { baseDir: files.dir, importModule };
});

afterAll(async () => {
  await server.close();
  await files.remove();
});

describe('targetRegistry', () => {
  it('has a factory for every target type', () => {
    expect(Object.keys(targetRegistry).sort()).toEqual([...TARGET_TYPES].sort());
    for (const type of TARGET_TYPES) expect(typeof targetRegistry[type]).toBe('function');
  });
});

describe('createTarget', () => {
  it('builds the target the config names, from a parsed config', async () => {
    const configs = [
      { type: 'module', path: './agent.mjs' },
      { type: 'command', command: [process.execPath, '-e', "process.stdout.write('\"command:' + require('fs').readFileSync(0, 'utf8').slice(1))"] },
      { type: 'http', url: `${server.url}/chat` },
    ].map((raw) => TargetConfigSchema.parse(raw));
    const outputs: unknown[] = [];
    for (const config of configs) {
      const target = await createTarget(config, deps);
      expect(target.type).toBe(config.type);
      outputs.push((await target.invoke('x', ctx)).output);
    }
    expect(outputs).toEqual(['module:x', 'command:x', 'http:x']);
  });

  it('hands model configs to the model target, which refuses an unconfigured model', async () => {
    const config = TargetConfigSchema.parse({ type: 'model', model: 'openai:gpt-4.1-mini' });
    const error = await createTarget(config, deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EvalOpsError);
    expect((error as EvalOpsError).code).toBe('config');
  });

  it('passes configuration errors through', async () => {
    const config = TargetConfigSchema.parse({ type: 'module', path: './missing.mjs' });
    await expect(createTarget(config, deps)).rejects.toMatchObject({ code: 'config' });
  });
});
