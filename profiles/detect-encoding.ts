/** The text encoding of an export, decided from its bytes: a byte order mark, else UTF-8 validity, else Windows-1252. */
import iconv from 'iconv-lite';

export type ProfileEncoding = 'utf-8' | 'utf-16' | 'windows-1252';

export interface EncodingDecision {
  encoding: ProfileEncoding;
  /** The sample decoded, without its byte order mark. */
  text: string;
  evidence: string;
}

export class NotTextError extends Error {
  override readonly name = 'NotTextError';
}

/** Offset of the first byte that starts or continues no valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index]!;
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0 || index + length > bytes.length) return index;
    for (let next = 1; next < length; next++) {
      if ((bytes[index + next]! & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return -1;
}

/** Drops a multi-byte character cut off by the end of a partial sample, so the cut is not taken for invalid UTF-8. */
function withoutCutCharacter(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? bytes.subarray(0, bytes.length - back) : bytes;
  }
  return bytes;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

export function detectEncoding(sample: Uint8Array, options: { complete: boolean }): EncodingDecision {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8').decode(sample.subarray(3)), evidence: 'the file starts with the UTF-8 byte order mark EF BB BF' };
  }
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    const littleEndian = sample[0] === 0xff;
    return {
      encoding: 'utf-16',
      text: iconv.decode(Buffer.from(sample.subarray(2)), littleEndian ? 'utf-16le' : 'utf-16be'),
      evidence: `the file starts with the UTF-16 byte order mark ${littleEndian ? 'FF FE (little-endian)' : 'FE FF (big-endian)'}`,
    };
  }
  const nul = sample.indexOf(0);
  if (nul >= 0) {
    throw new NotTextError(`byte ${nul} is NUL: this is not a text export (UTF-16 without a byte order mark is not supported; save the file as UTF-8 or with a BOM)`);
  }
  const bytes = options.complete ? sample : withoutCutCharacter(sample);
  const nonAscii = bytes.reduce((count, byte) => count + (byte > 0x7f ? 1 : 0), 0);
  const invalid = firstInvalidUtf8(bytes);
  if (invalid < 0) {
    const text = new TextDecoder('utf-8').decode(bytes);
    const characters = [...text].filter((char) => char.codePointAt(0)! > 0x7f).length;
    return {
      encoding: 'utf-8',
      text,
      evidence: `no byte order mark; ${nonAscii === 0 ? 'every byte is ASCII' : `valid UTF-8 throughout (${plural(characters, 'non-ASCII character')}, e.g. "${[...text].find((char) => char.codePointAt(0)! > 0x7f)}")`}`,
    };
  }
  // Node's own TextDecoder reads 'windows-1252' as ISO-8859-1 (0x80-0x9F become control characters): iconv-lite maps them.
  const text = iconv.decode(Buffer.from(bytes), 'windows-1252');
  const c1 = bytes.reduce((count, byte) => count + (byte >= 0x80 && byte <= 0x9f ? 1 : 0), 0);
  const context = iconv.decode(Buffer.from(bytes.subarray(Math.max(0, invalid - 30), invalid + 30)), 'windows-1252').replace(/\s+/g, ' ');
  return {
    encoding: 'windows-1252',
    text,
    evidence: `no byte order mark; not UTF-8: byte ${hex(bytes[invalid]!)} at offset ${invalid} starts no UTF-8 sequence (in "${context}"); `
      + `${plural(nonAscii, 'byte')} above 0x7F read as Windows-1252`
      + (c1 > 0 ? `, ${c1} of them in 0x80-0x9F, which only Windows-1252 reads as characters` : ' (ISO-8859-1 reads them alike)'),
  };
}
