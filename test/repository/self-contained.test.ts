import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

// Spelled in pieces so that this file does not match itself.
const SHARED = ['..', 'shared'].join('/');
const SHARED_FOLDERS = ['fixtures', 'aws-models'].map((f) => ['shared', f].join('/'));
/** Roots of a machine's own folders: a path under one of them exists only on that machine. */
const MACHINE_ROOTS = [
  'work',
  'home',
  'root',
  'Users',
  'tmp',
  'var',
  'opt',
  'mnt',
  'srv',
  'private',
  'media',
];
const ABSOLUTE = new RegExp(
  `(['"\`])(/(?:${MACHINE_ROOTS.join('|')})(?:/[^'"\`\\s]*)?)\\1|file:///|[A-Za-z]:\\\\\\\\`,
  'g',
);

/** Every place in `text` that reaches outside the repository: the shared folder beside it, or a machine's absolute path. */
function outsideReferences(text: string): string[] {
  const found: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.includes(SHARED) || SHARED_FOLDERS.some((f) => line.includes(f)))
      found.push(`${i + 1}: ${line.trim()}`);
    else if (ABSOLUTE.test(line)) found.push(`${i + 1}: ${line.trim()}`);
    ABSOLUTE.lastIndex = 0;
  }
  return found;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // Fixtures are other people's bytes, copied as they are; their READMEs name their sources.
      if (
        full === path.join(REPO, 'test', 'fixtures', 'real') ||
        full === path.join(REPO, 'test', 'fixtures', 'aws-models')
      )
        continue;
      out.push(...filesUnder(full));
    } else if (/\.(ts|js|mjs|cjs|json|sql)$/.test(entry.name)) out.push(full);
  }
  return out;
}

describe('the repository is self-contained', () => {
  it('recognizes references outside the repository', () => {
    expect(outsideReferences(`const f = '${SHARED}/fixtures/x.json';`)).toHaveLength(1);
    expect(outsideReferences("readFileSync('/work/other/x.json')")).toHaveLength(1);
    expect(outsideReferences('const home = "/home/me/data";')).toHaveLength(1);
    expect(outsideReferences('const t = `/tmp`;')).toHaveLength(1);
    expect(outsideReferences("new URL('file:///etc/x')")).toHaveLength(1);
    expect(outsideReferences(`// see ${SHARED_FOLDERS[0]}/README.md`)).toHaveLength(1);
    // System programs and HTTP routes are not the machine's data.
    expect(outsideReferences("const chromium = '/usr/bin/chromium';")).toEqual([]);
    expect(outsideReferences("if (url === '/api/datasets') {}")).toEqual([]);
    expect(outsideReferences("path.join(tmpdir(), 'lakeq-')")).toEqual([]);
  });

  it('no file under src/, test/ or bench/ refers to the folder beside the repository or to an absolute path', () => {
    const offenders: string[] = [];
    for (const top of ['src', 'test', 'bench']) {
      for (const file of filesUnder(path.join(REPO, top))) {
        if (file === SELF) continue; // its own examples above
        for (const hit of outsideReferences(readFileSync(file, 'utf8')))
          offenders.push(`${path.relative(REPO, file)}:${hit}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
