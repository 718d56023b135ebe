/**
 * Adds many HDR histograms (compressed base64, hdr-histogram-js V2 encoding) without building a
 * Histogram object per input: each one is inflated and its zig-zag LEB128 counts are added straight
 * into one counts array. Merging 1,000 instances × (4 scopes + a 30-s timeline) through the library's
 * decode + add took 2.5 s; this path keeps the merge under the 0.5 s goal (bench/merge-results.ts).
 * The result is an ordinary hdr-histogram-js Histogram, so percentiles match the library's exactly.
 *
 * Layout: values in µs, lowest discernible value 1, 3 significant digits (what every engine builds).
 * An input with another layout is decoded by the library and re-bucketed (still exact per value).
 */
import { inflateSync } from 'node:zlib';
import { build, decodeFromCompressedBase64, type Histogram, type JsHistogram } from 'hdr-histogram-js';

const COMPRESSED_COOKIE_BASE = 0x1c849304;
const COOKIE_BASE = 0x1c849303;
/** 3 significant digits → 2048 sub-buckets per bucket, half of them (1024) new in each bucket. */
const SUB_BUCKET_HALF_COUNT = 1024;
const SUB_BUCKET_HALF_MAGNITUDE = 10;
const HEADER_BYTES = 40;

export class HdrSum {
  private counts = new Float64Array(SUB_BUCKET_HALF_COUNT * 16);
  private length = 0;
  totalCount = 0;

  /** Adds one encoded histogram. */
  add(encoded: string): void {
    const compressed = Buffer.from(encoded, 'base64');
    if (compressed.length < 8 || (compressed.readInt32BE(0) & ~0xf0) !== COMPRESSED_COOKIE_BASE) throw new Error('not an HDR V2 compressed histogram');
    const data = inflateSync(compressed.subarray(8, 8 + compressed.readInt32BE(4)));
    const sameLayout =
      (data.readInt32BE(0) & ~0xf0) === COOKIE_BASE && data.readInt32BE(12) === 3 && readInt64(data, 16) === 1;
    if (sameLayout) this.addCounts(data, HEADER_BYTES, HEADER_BYTES + data.readInt32BE(4));
    else this.addRebucketed(decodeFromCompressedBase64(encoded) as JsHistogram);
  }

  /** The sum as a library histogram (percentiles, encoding). */
  toHistogram(): Histogram {
    const histogram = build({ numberOfSignificantValueDigits: 3, autoResize: true });
    for (let index = 0; index < this.length; index++) {
      const count = this.counts[index]!;
      if (count > 0) histogram.recordValueWithCount(valueFromIndex(index), count);
    }
    return histogram;
  }

  /** V2 payload: zig-zag LEB128 longs; a positive value is a count, a negative one a run of empty buckets. */
  private addCounts(data: Buffer, start: number, end: number): void {
    // The header's highest trackable value bounds the indices: grow once, then add without checks.
    this.ensureCapacity(indexOfValue(readInt64(data, 24)) + 1);
    const counts = this.counts;
    let index = 0;
    let position = start;
    let total = 0;
    while (position < end) {
      let raw = data[position++]!;
      // Most words are one byte (small counts, short zero runs): decode the rest only when needed.
      if (raw >= 0x80) raw = readVarintTail(data, position - 1, end, (consumed) => (position += consumed));
      if (raw % 2 === 1) {
        index += (raw + 1) / 2;
      } else {
        if (raw > 0) {
          counts[index] = counts[index]! + raw / 2;
          total += raw / 2;
          if (index >= this.length) this.length = index + 1;
        }
        index++;
      }
    }
    this.totalCount += total;
  }

  private ensureCapacity(length: number): void {
    if (length <= this.counts.length) return;
    const grown = new Float64Array(Math.max(length, this.counts.length * 2));
    grown.set(this.counts);
    this.counts = grown;
  }

  private addRebucketed(histogram: JsHistogram): void {
    for (let index = 0; index < histogram.countsArrayLength; index++) {
      const count = histogram.getCountAtIndex(index);
      if (count > 0) this.addAt(indexOfValue(histogram.valueFromIndex(index)), count);
    }
  }

  private addAt(index: number, count: number): void {
    this.ensureCapacity(index + 1);
    this.counts[index] = this.counts[index]! + count;
    if (index >= this.length) this.length = index + 1;
    this.totalCount += count;
  }
}

/**
 * A multi-byte LEB128-64b9B word starting at `first`: 7 bits per byte, the 9th byte carries 8.
 * Multiplies instead of shifting: counts may exceed 2^31. Reports the extra bytes it consumed.
 */
function readVarintTail(data: Buffer, first: number, end: number, consumed: (bytes: number) => void): number {
  let raw = 0;
  let shift = 1;
  let position = first;
  for (let bytes = 1; position < end; bytes++) {
    const byte = data[position++]!;
    if (bytes === 9) {
      raw += byte * shift;
      break;
    }
    raw += (byte & 0x7f) * shift;
    shift *= 128;
    if ((byte & 0x80) === 0) break;
  }
  consumed(position - first - 1);
  return raw;
}

function readInt64(data: Buffer, offset: number): number {
  return data.readInt32BE(offset) * 2 ** 32 + data.readUInt32BE(offset + 4);
}

/** The library's `valueFromIndex` for this layout (unit magnitude 0). */
function valueFromIndex(index: number): number {
  let bucket = Math.floor(index / SUB_BUCKET_HALF_COUNT) - 1;
  let subBucket = (index % SUB_BUCKET_HALF_COUNT) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

/** The library's `countsArrayIndex` for this layout. */
function indexOfValue(value: number): number {
  const bucket = Math.max(Math.floor(Math.log2(value)) - SUB_BUCKET_HALF_MAGNITUDE, 0);
  const subBucket = Math.floor(value / 2 ** bucket);
  return (bucket + 1) * SUB_BUCKET_HALF_COUNT + (subBucket - SUB_BUCKET_HALF_COUNT);
}
