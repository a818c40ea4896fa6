// The compiled modules of recent patches, by their bytes: a form evaluated again (a test run
// over and over, a file loaded again with most of its forms unchanged, the same eval from
// several sessions) compiles to the same bytes, and its module is compiled once. Compiling is
// most of what a small eval costs a page (about 0.1 ms each in Chromium).

/** How many modules are kept (the least recently used goes first), and up to what size. */
const CAPACITY = 256;
const MAX_BYTES = 64 * 1024;

/** FNV-1a over the bytes: a cheap key; a hit compares the bytes themselves too. */
function fnv1a(bytes) {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class ModuleCache {
  constructor(capacity = CAPACITY) {
    this.capacity = capacity;
    /** key -> { bytes, value }, oldest first (a Map keeps insertion order). */
    this.entries = new Map();
  }

  /**
   * The value kept for these bytes (a Uint8Array), or the one `make()` gives, kept for next
   * time (unless the patch is large).
   */
  get(bytes, make) {
    if (bytes.length > MAX_BYTES) return make();
    const key = fnv1a(bytes);
    const entry = this.entries.get(key);
    if (entry !== undefined && sameBytes(entry.bytes, bytes)) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.value;
    }
    const value = make();
    this.entries.delete(key);
    this.entries.set(key, { bytes: bytes.slice(), value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value);
    return value;
  }
}
