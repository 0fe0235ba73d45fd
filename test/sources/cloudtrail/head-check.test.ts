import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFiles } from '../../../src/sources/cloudtrail/raw-duckdb-files.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lakeq-head-check-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A gzip member whose header carries a long original file name (FNAME), as gzip(1) writes one. */
function gzipWithName(text: string, name: string): Buffer {
  const data = Buffer.from(text);
  const header = Buffer.from([0x1f, 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, Buffer.from(`${name}\0`), deflateRawSync(data), trailer]);
}

const write = async (name: string, body: Buffer | string) => {
  const file = path.join(dir, name);
  await writeFile(file, body);
  return file;
};

describe('the head check of CloudTrail log files', () => {
  it('reads a head again, longer, when its first bytes do not tell; decides on what it reads', async () => {
    const records = JSON.stringify({ Records: [{ eventID: 'e1' }] });
    const longName = 'n'.repeat(300);
    const good = [
      await write('plain.json.gz', gzipSync(records)),
      // The first 128 bytes are all header: they inflate to nothing.
      await write('named.json.gz', gzipWithName(records, longName)),
      // Plain JSON whose first 128 bytes are white space, or stop inside the key.
      await write('spaced.json', `${' '.repeat(200)}${records}`),
      await write('split.json', `{${' '.repeat(122)}"Records"   : []}`),
    ];
    const named = await write('named-other.json.gz', gzipWithName(JSON.stringify({ Other: [] }), longName));
    const array = await write('array.json', `${' '.repeat(150)}[1, 2]`);
    const text = await write('text.json.gz', gzipWithName('hello, world', longName));
    const { files, skipped } = await checkFiles([...good, named, array, text]);
    expect(files).toEqual([...good].sort());
    expect(Object.fromEntries(skipped.map((s) => [path.basename(s.path), s.reason]))).toEqual({
      'named-other.json.gz': 'not a CloudTrail log file (no top-level "Records" array)',
      'array.json': 'not a CloudTrail log file (no top-level "Records" array)',
      'text.json.gz': 'not JSON (does not start with an object)',
    });
  });

  it('reads a link to a regular file like the file, and names what a link or a name cannot give', async () => {
    const target = await write('target.json.gz', gzipSync(JSON.stringify({ Records: [] })));
    const link = path.join(dir, 'link.json.gz');
    await symlink(target, link);
    const gone = path.join(dir, 'gone.json.gz');
    const folderLink = path.join(dir, 'folder-link.json.gz');
    await symlink(dir, folderLink);
    const { files, skipped } = await checkFiles([link, gone, folderLink]);
    expect(files).toEqual([link]);
    expect(Object.fromEntries(skipped.map((s) => [path.basename(s.path), s.reason]))).toEqual({
      'gone.json.gz': expect.stringMatching(/^cannot be read \(ENOENT/),
      'folder-link.json.gz': 'a symbolic link to a folder (not followed)',
    });
  });
});
