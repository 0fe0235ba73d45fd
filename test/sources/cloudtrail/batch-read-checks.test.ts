import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalLoadEngine, openLocalLoadEngine } from '../../../src/catalog/duckdb/local-engine.ts';
import { checkListedFiles } from '../../../src/sources/cloudtrail/raw-duckdb-files.ts';

let root: string;
let worker: LocalLoadEngine;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lakeq-batch-read-'));
  await mkdir(path.join(root, 'day'));
  worker = await openLocalLoadEngine({ sources: {}, dataDir: path.join(root, 'data') });
});
afterEach(async () => {
  await worker.engine.close();
  await rm(root, { recursive: true, force: true });
});

const event = (id: string) => ({ eventTime: '2026-11-02T10:00:00Z', eventID: id, eventName: 'GetObject' });
const gz = (value: unknown) => gzipSync(JSON.stringify(value));
/** The first half of a file. */
const torn = (body: Buffer) => body.subarray(0, body.length >> 1);

async function write(name: string, body: Buffer | string): Promise<string> {
  const file = path.join(root, 'day', name);
  await writeFile(file, body);
  return file;
}

/** Points a load worker's CloudTrail views at `files`: the event ids read, and what was named, by file name. */
async function readBatch(files: string[]) {
  await worker.useFiles(files, 'cloudtrail');
  const { rows } = await worker.engine.execute<{ id: string }>(
    CompiledQuery.raw('SELECT r.eventID AS id FROM cloudtrail_raw ORDER BY id'),
  );
  const named = worker.engine
    .warnings()
    .filter((w) => w.code === 'SOURCE_FILE_SKIPPED')
    .map((w) => [path.basename(w.path ?? ''), w.message.replace(/^skipped .*?: /, '')]);
  return { ids: rows.map((r) => r.id), named: Object.fromEntries(named), count: named.length };
}

describe("a load batch's CloudTrail files, read before their heads are checked", () => {
  it('names a file that gives no record by what its head shows; an empty Records array is a log', async () => {
    const files = [
      await write('a.json.gz', gz({ Records: [event('e1'), event('e2')] })),
      await write('quiet.json.gz', gz({ Records: [] })),
      await write('other.json.gz', gz({ Events: [event('x1')] })),
      await write('b.json', JSON.stringify({ Records: [event('e3')] })),
    ];
    expect(await readBatch(files)).toEqual({
      ids: ['e1', 'e2', 'e3'],
      named: { 'other.json.gz': 'not a CloudTrail log file (no top-level "Records" array)' },
      count: 1,
    });
  });

  it('checks every head once the read fails, names each bad file once, and reads the rest', async () => {
    const good = gz({ Records: [event('e1')] });
    const files = [
      await write('a.json.gz', good),
      await write('array.json.gz', gz([event('a1')])),
      await write('empty.json.gz', ''),
      await write('plain.json.gz', 'not gzip'),
      await write('text.json.gz', gzipSync('hello, world')),
      // A sound head, cut short further on: only the read finds it, and names it.
      await write(
        'torn.json.gz',
        torn(gz({ Records: [event('t1'), { filler: randomBytes(3000).toString('hex') }] })),
      ),
      await write('z.json.gz', gz({ Records: [event('e2')] })),
    ];
    const { ids, named, count } = await readBatch(files);
    expect(ids).toEqual(['e1', 'e2']);
    expect(count).toBe(5);
    expect(named).toMatchObject({
      'array.json.gz': 'not a CloudTrail log file (no top-level "Records" array)',
      'empty.json.gz': 'empty file',
      'plain.json.gz': 'not gzip-compressed (no gzip header)',
      'text.json.gz': 'not JSON (does not start with an object)',
    });
    expect(named['torn.json.gz']).toMatch(/^Invalid Input Error: Malformed JSON in file .*torn\.json\.gz/);
    // The next batch starts unchecked again. Alone, the array fails the read too (DuckDB would
    // otherwise read a top-level array as the records): it is named, its record not loaded.
    const next = await readBatch([files[1] as string]);
    expect(next).toEqual({
      ids: [],
      named: { 'array.json.gz': 'not a CloudTrail log file (no top-level "Records" array)' },
      count: 1,
    });
  });

  it('never hands DuckDB a name that is not a regular file: a link, a folder, a vanished file', async () => {
    const real = await write('a.json.gz', gz({ Records: [event('e1')] }));
    const link = path.join(root, 'day', 'link.json.gz');
    await symlink(real, link);
    const folder = path.join(root, 'day', 'folder.json.gz');
    await mkdir(folder);
    const gone = path.join(root, 'day', 'gone.json.gz');
    const { files, skipped } = checkListedFiles([
      real,
      link,
      folder,
      gone,
      path.join(root, 'day', 'x[1].json.gz'),
    ]);
    expect(files).toEqual([real, link]);
    expect(Object.fromEntries(skipped.map((s) => [path.basename(s.path), s.reason]))).toEqual({
      'folder.json.gz': 'a folder, not a file',
      'gone.json.gz': expect.stringMatching(/^cannot be read \(ENOENT/),
      'x[1].json.gz': expect.stringMatching(/^cannot be read/),
    });
    expect((await readBatch([real, link, folder])).ids).toEqual(['e1', 'e1']);
  });
});
