// Reused memory for insert payloads (encoded rows, and the group buffer one
// INSERT sends). Hot path (`npm run bench`, docs/ARCHITECTURE.md "Write path"):
// V8 runs a young-generation GC whenever about 32 MB of new ArrayBuffers have
// been allocated since the last one (`--trace-gc` says "external memory
// pressure"), however large the young generation is set. A fresh 512 KiB buffer
// per 500-span request plus a concatenated copy per insert made that every 300-
// 500 ms under load, each scavenge copying the in-flight requests' decoded
// models (alive until their insert returns): GC was about 5 µs a span.
// Buffers taken from here are handed back once their insert has succeeded, and
// the next request writes into them: no new ArrayBuffer, no GC for it.
//
// Ownership: a buffer is either free (only the pool refers to it) or out (its
// taker's). `release` of a buffer that is not out (never taken from here,
// released twice) does nothing, so a payload someone else made passes through
// safely. Releasing a buffer something still reads is the one mistake to avoid:
// only the group committer releases, after the insert that read it returned.

/** Smallest buffer pooled: smaller ones come from Node's own 8 KiB slab pool and cost no ArrayBuffer. */
const MIN_POOLED_BYTES = 64 * 1024;
/** Largest pooled: a group of 16,384 rows is about 10 MiB. */
const MAX_POOLED_BYTES = 32 * 1024 * 1024;

export class PayloadPool {
  /** Free buffers by size (powers of two). */
  readonly #free = new Map<number, ArrayBuffer[]>();
  /** Buffers handed out and not yet released. */
  readonly #out = new WeakSet<ArrayBuffer>();
  #freeBytes = 0;

  /** @param maxFreeBytes memory kept for reuse at most; past it, released buffers are left to the GC. */
  constructor(private readonly maxFreeBytes: number) {}

  /** A buffer of at least `bytes` bytes (contents undefined), pooled when large enough to matter. */
  take(bytes: number): Buffer {
    if (bytes < MIN_POOLED_BYTES || bytes > MAX_POOLED_BYTES) return Buffer.allocUnsafe(bytes);
    let size = MIN_POOLED_BYTES;
    while (size < bytes) size *= 2;
    const free = this.#free.get(size);
    let memory = free?.pop();
    if (memory === undefined) memory = new ArrayBuffer(size);
    else this.#freeBytes -= size;
    this.#out.add(memory);
    return Buffer.from(memory, 0, size);
  }

  /** Gives back the memory under `view` (a buffer from `take`, or any view of one) for reuse; anything else is ignored. */
  release(view: Uint8Array): void {
    const memory = view.buffer;
    if (!(memory instanceof ArrayBuffer) || !this.#out.has(memory)) return;
    this.#out.delete(memory);
    if (this.#freeBytes + memory.byteLength > this.maxFreeBytes) return;
    let free = this.#free.get(memory.byteLength);
    if (free === undefined) this.#free.set(memory.byteLength, (free = []));
    free.push(memory);
    this.#freeBytes += memory.byteLength;
  }

  /** Whether `view` lies in a buffer taken from here and not yet released. */
  isOut(view: Uint8Array): boolean {
    return view.buffer instanceof ArrayBuffer && this.#out.has(view.buffer);
  }

  /** Bytes kept for reuse (tests). */
  get freeBytes(): number {
    return this.#freeBytes;
  }
}

/**
 * The process's pool for span and log payloads. 64 MiB covers what 16 requests
 * of 500 spans in flight and two group buffers hold (~12 MiB) several times over.
 */
export const payloadPool = new PayloadPool(64 * 1024 * 1024);
