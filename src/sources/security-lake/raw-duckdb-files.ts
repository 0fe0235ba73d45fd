import type { Dirent } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PARTITION_PATH, type SecurityLakeTable, securityLakeTable } from './schema.ts';

/** A file lakeq did not read, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** A readable Security Lake file: its table, Region and top-level columns. */
export interface LakeFile {
  readonly path: string;
  readonly table: SecurityLakeTable;
  readonly region: string;
  readonly columns: readonly string[];
  /** Each top-level column's shape (`shapeOfParquet`): field names and nesting, not leaf types. */
  readonly shapes: Readonly<Record<string, string>>;
}

export interface LakeScan {
  readonly files: LakeFile[];
  readonly skipped: SkippedFile[];
}

const PARQUET = /\.parquet$/i;
const PARTITION = new RegExp(PARTITION_PATH);
/** DuckDB reads `*`, `?` and `[` in a path as a pattern. */
const GLOB_CHARACTERS = /[*?[]/;
const MAGIC = 'PAR1';
/** What an OCSF record has at the top, in every class and version. */
const OCSF_COLUMNS = ['time', 'class_uid', 'metadata'];

/**
 * Lists the Parquet files of a folder in Security Lake's S3 layout
 * (`aws/<SOURCE>/<version>/region=<r>/accountId=<a>/eventDay=<YYYYMMDD>/*.parquet`) and checks
 * each one's footer: a truncated file, a file that is not Parquet, or Parquet that is not an OCSF
 * record (no `time`, `class_uid` or `metadata` column) is skipped and named with its reason. A
 * source or version lakeq does not read, or a missing folder, is no file at all.
 *
 * @example
 * ```ts
 * const { files, skipped } = await scanSecurityLake('./lakeq-data/raw/security-lake');
 * // skipped = [{ path: '…/eventDay=20261127/cut.gz.parquet', reason: 'not a whole Parquet file (no PAR1 at its end)' }]
 * ```
 */
export async function scanSecurityLake(root: string): Promise<LakeScan> {
  const candidates: { path: string; table: SecurityLakeTable }[] = [];
  for (const source of await dirs(path.join(root, 'aws'))) {
    for (const version of await dirs(path.join(root, 'aws', source))) {
      const table = securityLakeTable(source, version);
      if (!table) continue;
      const walk = async (dir: string): Promise<void> => {
        let entries: Dirent[];
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const entry of entries) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (PARQUET.test(entry.name)) candidates.push({ path: full, table });
        }
      };
      await walk(path.join(root, 'aws', source, version));
    }
  }
  return checkLakeFiles(candidates);
}

/** Checks the given files (a load batch's), each with the table its folder names. */
export async function checkLakeFiles(
  candidates: readonly { path: string; table: SecurityLakeTable }[],
): Promise<LakeScan> {
  const files: LakeFile[] = [];
  const skipped: SkippedFile[] = [];
  const sorted = [...candidates].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const c of sorted) {
    const partition = PARTITION.exec(c.path);
    if (!partition?.[1]) {
      skipped.push({ path: c.path, reason: 'not in a region=…/accountId=…/eventDay=YYYYMMDD/ folder' });
      continue;
    }
    if (GLOB_CHARACTERS.test(path.basename(c.path))) {
      skipped.push({
        path: c.path,
        reason: 'its name has *, ? or [, which the engine would read as a pattern',
      });
      continue;
    }
    const checked = await topLevelColumns(c.path).catch((error: Error) => ({
      reason: `cannot be read (${error.message})`,
    }));
    if ('reason' in checked) {
      skipped.push({ path: c.path, reason: checked.reason });
      continue;
    }
    const missing = OCSF_COLUMNS.filter((n) => !checked.columns.includes(n));
    if (missing.length > 0) {
      skipped.push({
        path: c.path,
        reason: `Parquet, but not an OCSF record (no ${missing.join(', ')} column)`,
      });
      continue;
    }
    files.push({
      path: c.path,
      table: c.table,
      region: partition[1],
      columns: checked.columns,
      shapes: checked.shapes,
    });
  }
  return { files, skipped };
}

async function dirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The names of a Parquet file's top-level columns, from its footer; or why the file is not whole Parquet. */
export async function topLevelColumns(
  file: string,
): Promise<{ columns: string[]; shapes: Record<string, string> } | { reason: string }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return { reason: 'empty file' };
    if (size < 12) return { reason: `not a whole Parquet file (${size} bytes)` };
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.toString('latin1') !== MAGIC) return { reason: 'not a Parquet file (no PAR1 at its start)' };
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, size - 8);
    if (tail.toString('latin1', 4) !== MAGIC)
      return { reason: 'not a whole Parquet file (no PAR1 at its end: truncated?)' };
    const footerLength = tail.readUInt32LE(0);
    if (footerLength > size - 12)
      return { reason: 'not a whole Parquet file (its footer length is past its start)' };
    const footer = Buffer.alloc(footerLength);
    await handle.read(footer, 0, footerLength, size - 8 - footerLength);
    try {
      const top = schemaTopLevel(footer);
      return {
        columns: top.map((n) => n.name),
        shapes: Object.fromEntries(top.map((n) => [n.name, shapeOf(n)])),
      };
    } catch (error) {
      return { reason: `its Parquet footer cannot be decoded (${(error as Error).message})` };
    }
  } finally {
    await handle.close();
  }
}

/**
 * FileMetaData (Thrift compact protocol): field 2 is the schema, a flattened list of
 * SchemaElement whose first is the root; its `num_children` (field 5) next elements, each with
 * its own subtree after it, are the top-level columns (`name` is field 4).
 */
interface SchemaNode {
  readonly name: string;
  readonly repeated: boolean;
  /** Parquet's converted type: 1 MAP, 2 MAP_KEY_VALUE, 3 LIST; undefined for none. */
  readonly converted: number | undefined;
  readonly children: readonly SchemaNode[];
}

function schemaTopLevel(buf: Buffer): SchemaNode[] {
  const r = new CompactReader(buf);
  let elements:
    | { name: string; children: number; repetition: number; converted: number | undefined }[]
    | undefined;
  r.readStruct((id, type) => {
    if (id === 2 && type === 9) {
      const { size } = r.listHeader();
      elements = [];
      for (let i = 0; i < size; i++) {
        let name = '';
        let children = 0;
        let repetition = 0;
        let converted: number | undefined;
        r.readStruct((fid, ftype) => {
          if (fid === 4 && ftype === 8) name = r.binary();
          else if (fid === 5 && ftype === 5) children = r.zigzag();
          else if (fid === 3 && ftype === 5) repetition = r.zigzag();
          else if (fid === 6 && ftype === 5) converted = r.zigzag();
          else r.skip(ftype);
        });
        elements.push({ name, children, repetition, converted });
      }
    } else r.skip(type);
  });
  if (!elements || elements.length === 0) throw new Error('no schema');
  let at = 1;
  const subtree = (): SchemaNode => {
    const e = elements?.[at++];
    if (!e) throw new Error('schema ends early');
    const children: SchemaNode[] = [];
    for (let i = 0; i < e.children; i++) children.push(subtree());
    return { name: e.name, repeated: e.repetition === 2, converted: e.converted, children };
  };
  const out: SchemaNode[] = [];
  for (let i = 0; i < (elements[0]?.children ?? 0); i++) out.push(subtree());
  return out;
}

/**
 * A column's shape: `*` for a leaf, `{a:…,b:…}` for a struct (fields by name, sorted), `[…]` for
 * a list, `<…>` for a map's values. Lists follow the Parquet spec's rules, the two-level lists
 * of older writers (Security Lake's parquet-mr: `repeated group array`) included.
 */
function shapeOf(node: SchemaNode, asElement = false): string {
  if (node.repeated && !asElement) return `[${shapeOf(node, true)}]`;
  if (node.converted === 3 && node.children.length === 1) {
    const repeated = node.children[0] as SchemaNode;
    if (repeated.children.length === 0) return `[*]`;
    const isElement =
      repeated.children.length > 1 || repeated.name === 'array' || repeated.name.endsWith('_tuple');
    return `[${isElement ? shapeOf(repeated, true) : shapeOf(repeated.children[0] as SchemaNode)}]`;
  }
  if ((node.converted === 1 || node.converted === 2) && node.children.length === 1) {
    const value = (node.children[0] as SchemaNode).children.find((c) => c.name === 'value');
    return `<${value ? shapeOf(value) : '*'}>`;
  }
  if (node.children.length === 0) return '*';
  const fields = node.children.map((c) => `${c.name}:${shapeOf(c)}`).sort();
  return `{${fields.join(',')}}`;
}

/** Just enough of Thrift's compact protocol to walk a footer. */
class CompactReader {
  #at = 0;
  readonly #buf: Buffer;
  constructor(buf: Buffer) {
    this.#buf = buf;
  }
  #byte(): number {
    const b = this.#buf[this.#at++];
    if (b === undefined) throw new Error('footer ends early');
    return b;
  }
  varint(): number {
    let out = 0;
    let shift = 0;
    for (;;) {
      const b = this.#byte();
      out += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return out;
      shift += 7;
      if (shift > 63) throw new Error('bad varint');
    }
  }
  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
  binary(): string {
    const n = this.varint();
    if (this.#at + n > this.#buf.length) throw new Error('footer ends early');
    const s = this.#buf.toString('utf8', this.#at, this.#at + n);
    this.#at += n;
    return s;
  }
  listHeader(): { size: number; type: number } {
    const b = this.#byte();
    const size = b >> 4 === 15 ? this.varint() : b >> 4;
    return { size, type: b & 0x0f };
  }
  readStruct(field: (id: number, type: number) => void, depth = 0): void {
    if (depth > 64) throw new Error('nested too deep');
    let last = 0;
    for (;;) {
      const b = this.#byte();
      if (b === 0) return;
      const type = b & 0x0f;
      const delta = b >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      field(id, type);
    }
  }
  skip(type: number, depth = 0): void {
    switch (type) {
      case 1:
      case 2:
        return;
      case 3:
        this.#at += 1;
        return;
      case 4:
      case 5:
      case 6:
        this.varint();
        return;
      case 7:
        this.#at += 8;
        return;
      case 8:
        this.binary();
        return;
      case 9:
      case 10: {
        const { size, type: element } = this.listHeader();
        for (let i = 0; i < size; i++) {
          if (element === 1 || element === 2) this.#at += 1;
          else this.skip(element, depth + 1);
        }
        return;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return;
        const kv = this.#byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4, depth + 1);
          this.skip(kv & 0x0f, depth + 1);
        }
        return;
      }
      case 12:
        this.readStruct((_id, t) => this.skip(t, depth + 1), depth + 1);
        return;
      default:
        throw new Error(`unknown Thrift type ${type}`);
    }
  }
}
