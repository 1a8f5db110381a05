/**
 * Runs a TypeScript test fixture as a child process. Node 20 cannot execute TypeScript and tsx
 * is not a dependency, so the fixture and every module it imports, following relative imports,
 * are transpiled with the TypeScript compiler API (`transpileModule`, type-stripping only, no
 * type check) into a temp dir with `{"type":"module"}` and a `node_modules` link to the
 * project's; the result runs with plain `node`. That needs only `typescript`, a direct
 * devDependency, and works offline.
 */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const root = projectRoot;

/** Transpiles `entry` and its relative imports into `outDir`, mirroring paths under the project root. */
export async function transpileTree(entry: string, outDir: string): Promise<string> {
  const queue = [entry];
  const done = new Set<string>();
  while (queue.length > 0) {
    const source = queue.pop() as string;
    if (done.has(source)) continue;
    done.add(source);
    const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
      fileName: source,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
        // Without comments, the import scan below only sees real import statements.
        removeComments: true,
      },
    });
    const target = join(outDir, relative(root, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
    for (const match of outputText.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      queue.push(resolve(dirname(source), `${match[1]}.ts`));
    }
  }
  await writeFile(join(outDir, 'package.json'), '{"type":"module"}\n');
  // Bare imports (lowdb) resolve through the project's node_modules.
  await symlink(join(root, 'node_modules'), join(outDir, 'node_modules'), 'junction');
  return join(outDir, relative(root, entry)).replace(/\.ts$/, '.js');
}
