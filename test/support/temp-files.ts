import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempFiles {
  readonly dir: string;
  write(relativePath: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

/** A fresh directory under os.tmpdir() with the given files; `remove` deletes it. */
export async function tempFiles(files: Readonly<Record<string, string>> = {}): Promise<TempFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'evalops-targets-'));
  const write = async (relativePath: string, content: string): Promise<string> => {
    const path = join(dir, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
    return path;
  };
  for (const [path, content] of Object.entries(files)) await write(path, content);
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}
