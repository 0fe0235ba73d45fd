/**
 * A small seeded pseudo-random generator (sfc32) with the helpers the sample generators need.
 *
 * Determinism is the point: a `Random` created from the same seed parts yields the same sequence on
 * every platform (only 32-bit integer arithmetic is used). Independent streams are derived from a root
 * seed and a path of labels (`new Random(seed, 'account', 3, 'us-east-1', hour)`), so the output of one
 * stream never depends on how much another stream consumed.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export type SeedPart = string | number;

/** Hashes seed parts into four 32-bit words (cyrb128-style mixing of the parts' text). */
export function hashSeed(parts: readonly SeedPart[]): [number, number, number, number] {
  const text = parts.map((p) => String(p)).join('\u0000');
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export interface Weighted<T> {
  value: T;
  weight: number;
}

export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(...seed: SeedPart[]) {
    [this.#a, this.#b, this.#c, this.#d] = hashSeed(seed);
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A new independent stream: this stream's seed is not consumed. */
  static derive(...seed: SeedPart[]): Random {
    return new Random(...seed);
  }

  /** Next unsigned 32-bit integer (sfc32). */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; weights need not sum to 1. Non-positive weights are never picked. */
  weighted<T>(items: readonly Weighted<T>[]): T {
    let total = 0;
    for (const item of items) if (item.weight > 0) total += item.weight;
    if (total <= 0) throw new Error('weighted pick without positive weights');
    let r = this.next() * total;
    let last: T | undefined;
    for (const item of items) {
      if (item.weight <= 0) continue;
      last = item.value;
      r -= item.weight;
      if (r < 0) return item.value;
    }
    return last as T;
  }

  /** k distinct items (k clamped to the list length), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    this.shuffle(copy);
    return copy.slice(0, Math.max(0, Math.min(k, copy.length)));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  #chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }

  /** Lower-case hexadecimal characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.uint32().toString(16).padStart(8, '0');
    return out.length === length ? out : out.slice(0, length);
  }

  /** Upper-case hexadecimal characters (S3 request ids). */
  upperHex(length: number): string {
    return this.hex(length).toUpperCase();
  }

  /** Mixed-case letters and digits (CloudTrail log file name suffixes). */
  alnum(length: number): string {
    return this.#chars(ALNUM, length);
  }

  /** Upper-case letters and digits (IAM unique ids, access key ids). */
  upperAlnum(length: number): string {
    return this.#chars(UPPER_ALNUM, length);
  }

  lowerAlnum(length: number): string {
    return this.#chars(LOWER_ALNUM, length);
  }

  digits(length: number): string {
    let out = String(this.int(1, 9));
    for (let i = 1; i < length; i++) out += String(this.int(0, 9));
    return out;
  }

  /** A random (version 4 layout) UUID, lower case. */
  uuid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.uint32() & 3)] as string;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A public-looking IPv4 address inside one of the given /16 prefixes (e.g. '203.0'). */
  ipv4(prefixes: readonly string[] = PUBLIC_PREFIXES): string {
    return `${this.pick(prefixes)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}

/** /16 prefixes used for caller addresses: documentation ranges plus a few cloud and ISP ranges. */
export const PUBLIC_PREFIXES: readonly string[] = [
  '203.0',
  '198.51',
  '192.0',
  '52.94',
  '54.240',
  '3.120',
  '18.196',
  '81.2',
  '86.140',
  '91.193',
  '100.24',
  '73.252',
];
