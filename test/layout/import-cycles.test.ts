import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');

/** `import … from './x.ts'` / `export … from './x.ts'` / `import './x.ts'`, statements at a line's start. */
const STATIC = /^(?:import|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']+)'|^import\s*'(\.{1,2}\/[^']+)'/gm;
/** `import('./x.ts')`, awaited or as a type (`typeof import('./x.ts')`). */
const DYNAMIC = /\bimport\s*\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;
/** A JSDoc or line-comment line: its `import('…')` is an example, not a dependency. */
const COMMENT_LINE = /^\s*(?:\*|\/\/|\/\*)/;

/**
 * The project's import graph under `roots`: file → the project files it imports, statically,
 * lazily or for types only (a type import still ties two modules together).
 */
function importGraph(repo: string, roots: readonly string[]): Map<string, string[]> {
  const files = roots.flatMap((root) =>
    readdirSync(path.join(repo, root), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => path.join(repo, root, f)),
  );
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const specifiers = Array.from(text.matchAll(STATIC), (m) => (m[1] ?? m[2]) as string);
    for (const line of text.split('\n')) {
      if (!COMMENT_LINE.test(line))
        specifiers.push(...Array.from(line.matchAll(DYNAMIC), (m) => m[1] as string));
    }
    const targets = specifiers.map((s) => path.resolve(path.dirname(file), s)).filter((t) => known.has(t));
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** Each cycle once, as a path that starts at its smallest file and returns to it. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        const start = loop.indexOf([...loop].sort()[0] as string);
        const rotated = [...loop.slice(start), ...loop.slice(0, start)];
        found.set(rotated.join('\n'), [...rotated, rotated[0] as string]);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found.values()];
}

describe('import cycles', () => {
  it('src/, queries/ and dashboards/ have none, counting lazy and type-only imports', () => {
    const graph = importGraph(REPO, ['src', 'queries', 'dashboards']);
    expect(graph.size).toBeGreaterThan(200);
    // The CLI imports its commands lazily: those edges count too.
    expect(graph.get(path.join(REPO, 'src/cli/main.ts'))?.length).toBeGreaterThan(10);
    const shown = cycles(graph).map((c) => c.map((f) => path.relative(REPO, f)).join(' → '));
    expect(shown).toEqual([]);
  });

  it('the walker finds a cycle made of a type-only import and a lazy import, and ignores commented examples', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lakeq-cycles-'));
    try {
      writeFileSync(
        path.join(dir, 'a.ts'),
        "import type {\n  B,\n} from './b.ts';\n/**\n * const c = await import('./c.ts');\n */\nexport type A = B;\n",
      );
      writeFileSync(
        path.join(dir, 'b.ts'),
        "export type B = string;\nexport const load = () => import('./a.ts');\n",
      );
      writeFileSync(path.join(dir, 'c.ts'), "// import('./a.ts')\nexport * from './a.ts';\n");
      const graph = importGraph(dir, ['.']);
      expect(graph.get(path.join(dir, 'a.ts'))).toEqual([path.join(dir, 'b.ts')]);
      expect(graph.get(path.join(dir, 'c.ts'))).toEqual([path.join(dir, 'a.ts')]);
      expect(cycles(graph).map((c) => c.map((f) => path.basename(f)))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
