/**
 * Streams a file's lines to a parser with as little memory traffic as possible.
 *
 * Opening a 100k-user directory is dominated by touching memory, not by disk: every fresh
 * buffer costs page faults, every concatenation a copy. So two fixed read buffers alternate
 * (the thread pool fills one while this thread parses the other), complete lines are handed
 * over in place, and only a line that spans two reads is copied out.
 *
 * Each buffer has one spare byte in front, so a sink may overwrite the byte before the lines it
 * is given (to put a `[` there and parse a run of lines as one JSON array).
 */
import { isAscii } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';

/** Bytes per read: large enough that syscalls and JSON.parse calls are few, small enough to bound memory. */
export const DEFAULT_READ_CHUNK = 8 * 1024 * 1024;
const SLOT = 1;

export interface LineSink {
  /**
   * Complete lines `buffer[start, end)`: `end` is just past a newline. `offset` is the file
   * position of `start`. The sink may modify `buffer[start - 1, end)`. Return false to stop.
   */
  lines(buffer: Buffer, start: number, end: number, offset: number): boolean;
  /** One complete line, without its newline, that spanned two reads. Return false to stop. */
  single(bytes: Buffer, offset: number): boolean;
  /** Called while a line keeps growing across reads; return false to stop (not our format). */
  longLine?(length: number): boolean;
}

/**
 * Feeds `sink` every complete line of the first `size` bytes. Returns the bytes after the last
 * newline (a final line without one), or undefined if the sink stopped.
 */
export async function readLines(
  handle: FileHandle,
  size: number,
  sink: LineSink,
  chunk = DEFAULT_READ_CHUNK,
): Promise<Buffer | undefined> {
  const capacity = Math.max(1, Math.min(chunk, size)) + SLOT;
  const buffers = [Buffer.allocUnsafe(capacity), Buffer.allocUnsafe(capacity)];
  const readInto = async (buffer: Buffer, at: number): Promise<number> => {
    const want = Math.min(buffer.length - SLOT, size - at);
    let filled = 0;
    while (filled < want) {
      const { bytesRead } = await handle.read(buffer, SLOT + filled, want - filled, at + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  };
  /** Pieces of a line that started in an earlier buffer (copied out: the buffers are reused). */
  let carry: Buffer[] = [];
  let carryLength = 0;
  let carryOffset = 0;
  let which = 0;
  let position = 0;
  let next: Promise<number> | undefined = size > 0 ? readInto(buffers[0], 0) : undefined;
  try {
    while (next) {
      const buffer = buffers[which];
      const offset = position;
      const length = await next;
      if (length === 0) break;
      position += length;
      which ^= 1;
      next = position < size ? readInto(buffers[which], position) : undefined;
      let start = SLOT;
      const end = SLOT + length;
      if (carryLength > 0) {
        const newline = buffer.indexOf(0x0a, start);
        if (newline < 0 || newline >= end) {
          // Still no newline: keep the piece (joined once, when the line ends).
          carry.push(Buffer.from(buffer.subarray(start, end)));
          carryLength += end - start;
          if (sink.longLine && !sink.longLine(carryLength)) return undefined;
          continue;
        }
        carry.push(buffer.subarray(start, newline));
        const line = Buffer.concat(carry, carryLength + newline - start);
        carry = [];
        carryLength = 0;
        if (!sink.single(line, carryOffset)) return undefined;
        start = newline + 1;
      }
      const lastNewline = buffer.lastIndexOf(0x0a, end - 1);
      if (lastNewline >= start) {
        if (!sink.lines(buffer, start, lastNewline + 1, offset + start - SLOT)) return undefined;
        start = lastNewline + 1;
      }
      if (start < end) {
        carry = [Buffer.from(buffer.subarray(start, end))];
        carryLength = end - start;
        carryOffset = offset + start - SLOT;
      }
    }
  } finally {
    // Never return while a read into one of the buffers is still running.
    await next?.catch(() => undefined);
  }
  return Buffer.concat(carry, carryLength);
}

/** Our files are almost always ASCII; a latin1 decode of ASCII is the same string, much faster. */
export function decode(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
