// Hashing primitives: Clojure's Murmur3 (hasheq), Java's hashCode of strings, longs, doubles
// and big integers, and identity hashes. Types build their `hash` from these (IHash).

export function mixK1(k1) {
  k1 = Math.imul(k1, 0xcc9e2d51);
  k1 = (k1 << 15) | (k1 >>> 17);
  return Math.imul(k1, 0x1b873593);
}

export function mixH1(h1, k1) {
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

export function fmix(h1, length) {
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 | 0;
}

/** Murmur3.hashInt. */
export function hashInt(input) {
  if (input === 0) return 0;
  return fmix(mixH1(0, mixK1(input)), 4);
}

/** Murmur3.hashLong of the 64-bit value with these 32-bit halves. */
export function hashLongBits(low, high) {
  if (low === 0 && high === 0) return 0;
  return fmix(mixH1(mixH1(0, mixK1(low)), mixK1(high)), 8);
}

const TWO_32 = 4294967296;

/** The low and high 32-bit words of an integral JS number (two's complement). */
export function numberWords(x) {
  return [x | 0, Math.floor(x / TWO_32) | 0];
}

/** The low and high 32-bit words of a BigInt within the 64-bit range. */
export function bigintWords(v) {
  return [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
}

/** Murmur3.hashUnencodedChars (symbols' names). */
export function hashUnencodedChars(s) {
  let h1 = 0;
  const n = s.length;
  for (let i = 1; i < n; i += 2) {
    h1 = mixH1(h1, mixK1(s.charCodeAt(i - 1) | (s.charCodeAt(i) << 16)));
  }
  if (n & 1) h1 ^= mixK1(s.charCodeAt(n - 1));
  return fmix(h1, 2 * n);
}

/** Murmur3.mixCollHash: a collection's hash from the sum or product of its elements'. */
export function mixCollHash(hash, count) {
  return fmix(mixH1(0, mixK1(hash)), count);
}

/** Util.hashCombine (symbols). */
export function hashCombine(seed, hash) {
  return (seed ^ ((hash + 0x9e3779b9 + (seed << 6) + (seed >> 2)) | 0)) | 0;
}

/** String.hashCode. */
export function javaStringHash(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Double.hashCode, except that -0.0 hashes like 0.0 (as Clojure's hasheq does). */
export function javaDoubleHash(x) {
  if (x === 0) return 0;
  f64[0] = x !== x ? NaN : x;
  return (u32[0] ^ u32[1]) | 0; // the order of the halves does not matter for xor
}

/** Long.hashCode of the value with these 32-bit halves. */
export function javaLongHash(low, high) {
  return (low ^ high) | 0;
}

/** BigInteger.hashCode. */
export function javaBigIntegerHash(v) {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const words = [];
  while (a > 0n) { words.push(Number(a & 0xffffffffn)); a >>= 32n; }
  let h = 0;
  for (let i = words.length - 1; i >= 0; i--) h = (Math.imul(31, h) + words[i]) | 0;
  return neg ? -h | 0 : h;
}

let nextIdentity = 0x2a5c1b7;
const identities = new WeakMap();

/** A stable pseudo-random identity hash for an object (Java's identityHashCode). */
export function identityHash(o) {
  let h = identities.get(o);
  if (h === undefined) {
    // xorshift32: spread like Java's identity hashes, never 0
    let x = nextIdentity;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    nextIdentity = x | 0;
    h = (x >>> 1) || 1;
    identities.set(o, h);
  }
  return h;
}
