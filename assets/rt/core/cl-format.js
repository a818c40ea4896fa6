// clojure.pprint/cl-format: Common Lisp's format, with Clojure 1.11's output. The bundled
// lib/clojure/pprint.cljc calls `jank.runtime/cl-format`.
//
// A format string is compiled to a tree of directives (brackets ~[ ~{ ~( hold their clauses),
// then run against an argument navigator (the args, a position, and what is left) writing to
// a chain of writers (core/cl-format-writers.js): the destination, a column counter when ~T
// or ~& need one (Clojure's pretty writer), and the case converters of ~( ~). The details
// that look odd (V parameters taken from the args last parameter first, `~*` past the end
// giving nil, ~& always starting a line inside ~( ~)) are Clojure's, kept so the output is
// the same.
//
// Not supported yet, refused when the format is compiled: ~<...~> (justification and logical
// blocks), ~W, ~G, ~_ and ~I (the pretty printer's). ~/name/ is undefined in Clojure too.

import { CljError, nullPointer, truthy, divideByZero, illegalArgument, classCastError } from '../errors.js';
import { className } from '../types.js';
import { Char, char } from '../scalars.js';
import { BigNum, Ratio, isLong, lte, toDouble, toLong } from '../numbers.js';
import { equiv } from '../equality.js';
import { printStr, printWith, CHAR_NAMES } from '../print.js';
import { seq, first, next } from '../seqs.js';
import { count } from '../colls.js';
import { coreLib, internal } from './lib.js';
import {
  repeatText, integerText, cardinalText, ordinalText, romanText,
  fixedText, exponentialText, dollarText,
} from './cl-format-numbers.js';
import { destination, Columns, downcase, upcase, capitalizeWords, capitalizeFirst, upperChar } from './cl-format-writers.js';

// ---------------------------------------------------------------------------------------
// The argument navigator
// ---------------------------------------------------------------------------------------

/** What `drop` past the end leaves: `()`, which unlike nil still gives an argument (nil). */
const EMPTY = Object.freeze({ empty: true });

class Nav {
  constructor(all, rest, pos) { this.all = all; this.rest = rest; this.pos = pos; }
}

const navOf = (coll) => { const s = seq(coll); return new Nav(s, s, 0); };
const restEmpty = (nav) => nav.rest === null || nav.rest === EMPTY;
const remaining = (nav) => (restEmpty(nav) ? 0 : count(nav.rest));

function takeArg(nav) {
  if (nav.rest === EMPTY) return [null, new Nav(nav.all, null, nav.pos + 1)];
  return [first(nav.rest), new Nav(nav.all, next(nav.rest), nav.pos + 1)];
}

function nextArg(nav) {
  if (nav.rest === null) throw new CljError('Exception', 'Not enough arguments for format definition');
  return takeArg(nav);
}

const nextArgOrNil = (nav) => (nav.rest === null ? [null, nav] : takeArg(nav));

function drop(s, n) {
  let x = s === EMPTY ? null : s;
  for (let i = 0; i < n && x !== null; i++) x = next(x);
  return x ?? EMPTY;
}

function relative(nav, n) {
  if (n < 0) return absolute(nav, nav.pos + n);
  return new Nav(nav.all, drop(nav.rest, n), nav.pos + n);
}

function absolute(nav, n) {
  if (n >= nav.pos) return relative(nav, n - nav.pos);
  return new Nav(nav.all, drop(nav.all, n), n);
}

/** What a ~^ returns: the iteration (or the whole format) it ends, and where the args were. */
class Exit {
  constructor(colon, nav) { this.colon = colon; this.nav = nav; }
}

// ---------------------------------------------------------------------------------------
// Compiling a format string
// ---------------------------------------------------------------------------------------

const FROM_ARGS = Symbol('v'); // a V parameter
const REMAINING = Symbol('#'); // a # parameter

/** A format error: Clojure's message, then the format with a caret under the place. */
function formatError(message, offset, fmt) {
  return new CljError('RuntimeException', `${message}\n${fmt}\n${' '.repeat(offset)}^\n`);
}

const PARAM = /(?:[vV]|#|'.|[+-]?\d+|(?=,))/y; // sticky: matched at lastIndex only

/** The raw parameters at `pos`: [[text, offset]...] and where the flags start. */
function readParams(fmt, pos) {
  const raw = [];
  let sawComma = false;
  for (;;) {
    PARAM.lastIndex = pos;
    const m = PARAM.exec(fmt);
    if (m === null) {
      if (sawComma) throw formatError('Badly formed parameters in format directive', pos, fmt);
      return [raw, pos];
    }
    const after = pos + m[0].length;
    if (after >= fmt.length) throw new CljError('StringIndexOutOfBoundsException', 'String index out of range: 0');
    raw.push([m[0], pos]);
    sawComma = fmt[after] === ',';
    pos = sawComma ? after + 1 : after;
  }
}

function readFlags(fmt, pos) {
  const flags = {};
  for (; fmt[pos] === ':' || fmt[pos] === '@'; pos++) {
    const flag = fmt[pos] === ':' ? 'colon' : 'at';
    if (flags[flag] !== undefined) throw formatError(`Flag "${fmt[pos]}" appears more than once in a directive`, pos, fmt);
    flags[flag] = pos;
  }
  return [flags, pos];
}

/** A parameter's value: null (left out), V, #, a char ('c) or an int (Java's parseInt). */
function paramValue(text) {
  if (text === '') return null;
  if (text === 'v' || text === 'V') return FROM_ARGS;
  if (text === '#') return REMAINING;
  if (text[0] === "'") return char(text[1]);
  const n = Number(text) + 0; // + 0: "-0" is 0
  if (n > 2147483647 || n < -2147483648) throw new CljError('NumberFormatException', `For input string: "${text}"`);
  return n;
}

function checkFlags(def, flags, fmt) {
  const at = flags.at !== undefined, colon = flags.colon !== undefined;
  if (at && !def.flags.at) throw formatError(`"@" is an illegal flag for format directive "${def.name}"`, flags.at, fmt);
  if (colon && !def.flags.colon) throw formatError(`":" is an illegal flag for format directive "${def.name}"`, flags.colon, fmt);
  if (at && colon && !def.flags.both) {
    throw formatError(`Cannot combine "@" and ":" flags for format directive "${def.name}"`, Math.min(flags.at, flags.colon), fmt);
  }
}

const were = (n) => (n === 1 ? 'was' : 'were');
const are = (n) => (n === 1 ? 'is' : 'are');

/** The directive's parameter values, checked against its definition as Clojure checks them. */
function directiveParams(def, raw, flags, fmt) {
  checkFlags(def, flags, fmt);
  const values = raw.map(([text]) => paramValue(text));
  const n = values.length, allowed = def.params.length;
  if (n > allowed) {
    throw formatError(`Too many parameters for directive "${def.name}": ${n} ${were(n)} specified but only ${allowed} ${are(allowed)} allowed`, raw[0][1], fmt);
  }
  values.forEach((v, i) => {
    if (v === null || v === FROM_ARGS || v === REMAINING) return;
    const [name, , type] = def.params[i];
    const ok = type === 'Character' ? v instanceof Char : typeof v === 'number';
    if (!ok) {
      throw formatError(`Parameter ${name} has bad type in directive "${def.name}": class java.lang.${v instanceof Char ? 'Character' : 'Integer'}`, raw[i][1], fmt);
    }
  });
  return def.params.map((_, i) => values[i] ?? null);
}

/** The directive after the tilde at `start - 1`: pushes its node, returns where text resumes. */
function readDirective(fmt, start, nodes) {
  const [raw, afterParams] = readParams(fmt, start);
  const [flags, pos] = readFlags(fmt, afterParams);
  if (pos >= fmt.length) throw nullPointer('Cannot invoke "java.lang.Character.charValue()" because "directive" is null');
  const d = fmt[pos];
  const def = DIRECTIVES[upperChar(d)];
  if (def === undefined) throw formatError(`Directive "${d}" is undefined`, pos, fmt);
  const params = directiveParams(def, raw, flags, fmt);
  nodes.push({ def, params, at: flags.at !== undefined, colon: flags.colon !== undefined, offset: pos });
  let resume = pos + 1;
  if (d === '\n' && flags.colon === undefined) while (fmt[resume] === ' ' || fmt[resume] === '\t') resume++;
  return resume;
}

/** The flat list of text and directive nodes of `fmt`. */
function readNodes(fmt) {
  const nodes = [];
  for (let i = 0; i < fmt.length;) {
    const tilde = fmt.indexOf('~', i);
    const end = tilde < 0 ? fmt.length : tilde;
    if (end > i) nodes.push({ def: TEXT, text: fmt.slice(i, end) });
    i = tilde < 0 ? end : readDirective(fmt, tilde + 1, nodes);
  }
  return nodes;
}

/** The next clause of the bracket `open` from nodes[i]: [clause, how it ended, closer, i]. */
function readClause(open, nodes, i, fmt) {
  const clause = [];
  for (;;) {
    if (i >= nodes.length) throw formatError('No closing bracket found.', open.offset, fmt);
    const node = nodes[i++];
    if (node.def.bracket !== undefined) {
      i = readBracket(node, nodes, i, fmt);
      clause.push(node);
    } else if (node.def.name === open.def.bracket.right) {
      return [clause, 'right', node, i];
    } else if (node.def.separator) {
      return [clause, node.colon ? 'else' : 'separator', node, i];
    } else {
      clause.push(node);
    }
  }
}

const BRACKET_ERRORS = {
  twoElses: 'Two else clauses ("~:;") inside bracket construction.',
  noElse: 'An else clause ("~:;") is in a bracket type that doesn\'t support it.',
  elseFirst: 'The else clause ("~:;") is only allowed in the first position for this directive.',
  afterElse: 'A plain clause (with "~;") follows an else clause ("~:;") inside bracket construction.',
  noSeparator: 'A separator ("~;") is in a bracket type that doesn\'t support it.',
};

/** Collects the clauses of the bracket directive `open` (its node gets them); returns the index after it. */
function readBracket(open, nodes, i, fmt) {
  const info = open.def.bracket;
  const fail = (key) => { throw formatError(BRACKET_ERRORS[key], open.offset, fmt); };
  open.clauses = [];
  open.else = null;
  let sawElse = false;
  for (;;) {
    const [clause, end, closer, after] = readClause(open, nodes, i, fmt);
    i = after;
    if (end === 'right') {
      if (sawElse) open.else = [clause]; else open.clauses.push(clause);
      open.rightColon = closer.colon;
      return i;
    }
    if (end === 'else') {
      if (open.else !== null) fail('twoElses');
      if (info.else === null) fail('noElse');
      if (info.else === 'first' && open.clauses.length > 0) fail('elseFirst');
      if (info.else === 'first') { open.else = [clause]; sawElse = false; } else { open.clauses.push(clause); sawElse = true; }
    } else {
      if (sawElse) fail('afterElse');
      if (!info.separator) fail('noSeparator');
      open.clauses.push(clause);
    }
  }
}

/** The first directive of a compiled format (at any depth) that is not supported yet. */
function unsupportedIn(nodes) {
  for (const node of nodes) {
    if (node.def.unsupported !== undefined) return node.def;
    for (const clause of [...(node.clauses ?? []), ...(node.else ?? [])]) {
      const found = unsupportedIn(clause);
      if (found !== null) return found;
    }
  }
  return null;
}

/** A format string compiled to its directive tree. */
function compile(fmt) {
  const flat = readNodes(fmt);
  const tree = [];
  for (let i = 0; i < flat.length;) {
    const node = flat[i++];
    if (node.def.bracket !== undefined) i = readBracket(node, flat, i, fmt);
    tree.push(node);
  }
  const refused = unsupportedIn(tree);
  if (refused !== null) {
    throw new CljError('UnsupportedOperationException',
      `clojure.pprint/cl-format: the ~${refused.name} directive (${refused.unsupported}) is not supported yet by jank-wasm-nrepl`);
  }
  return tree;
}

/** Whether the format uses columns (~T, ~&): Clojure then writes through its pretty writer. */
const needsColumns = (nodes) => nodes.some((node) => node.def.columns === true
  || [...(node.clauses ?? []), ...(node.else ?? [])].some(needsColumns));

// ---------------------------------------------------------------------------------------
// Running a compiled format
// ---------------------------------------------------------------------------------------

/** The node's parameters, V and # taken from the args (last parameter first, as Clojure does). */
function realize(node, nav) {
  const defs = node.def.params;
  const p = { at: node.at, colon: node.colon };
  for (let i = defs.length - 1; i >= 0; i--) {
    let v = node.params[i];
    if (v === FROM_ARGS) [v, nav] = nextArg(nav);
    else if (v === REMAINING) v = remaining(nav);
    p[defs[i][0]] = v ?? defs[i][1];
  }
  return [p, nav];
}

/**
 * Runs the nodes of a clause: the navigator after them, or the Exit a ~^ made. `base` is
 * the enclosing iteration's navigator (~:^ looks at it); at the top, each node's own.
 */
function run(nodes, nav, base, ctx) {
  for (const node of nodes) {
    let p;
    [p, nav] = realize(node, nav);
    const result = node.def.run(ctx, node, p, nav, base ?? nav);
    if (result instanceof Exit) return result;
    nav = result;
  }
  return nav;
}

/**
 * The format argument of ~? and of ~{~} with an empty body, compiled. Clojure would run
 * anything else as a compiled format (which this runtime does not make): that fails when
 * it runs, so the arguments are checked first, as in Clojure.
 */
function formatArg(nav) {
  const [fmt, after] = nextArg(nav);
  if (typeof fmt === 'string') return [compile(fmt), after];
  if (fmt === null) return [[], after];
  const notAFormat = () => { throw illegalArgument(`cl-format takes a format string here, not ${className(fmt)}`); };
  return [[{ def: { params: [], run: notAFormat }, params: [] }], after];
}

// ---------------------------------------------------------------------------------------
// The directives
// ---------------------------------------------------------------------------------------

const print = (ctx, s) => ctx.out.text(s);
const newlines = (ctx, n) => { for (let i = 0; i < n; i++) ctx.out.char('\n'); };

/** Numbers ~A and ~S print as `str` does (no N or M suffix); null for anything else. */
function simpleNumber(x) {
  if (isLong(x)) return String(x);
  if (x instanceof BigNum) return x.v.toString();
  if (x instanceof Ratio) return `${x.num}/${x.den}`;
  return null;
}

/** Pads to mincol (then colinc at a time), at least minpad; `at` pads on the left. */
function padded(text, p) {
  const least = text.length + p.minpad;
  let width = least;
  if (least < p.mincol) {
    if (p.colinc === 0) throw divideByZero();
    width = least + (Math.trunc((p.mincol - least - 1) / p.colinc) + 1) * p.colinc;
  }
  const fill = repeatText(p.padchar, width - text.length);
  return p.at ? fill + text : text + fill;
}

/** `pr-str` as Clojure's is: readable only while *print-readably* is (print-str binds it off). */
const readably = () => truthy(coreLib['*print-readably*']);
const prStr = (x) => printWith(x, readably()).text;

const ascii = (printer) => (ctx, node, p, nav) => {
  const [arg, after] = nextArg(nav);
  print(ctx, padded(simpleNumber(arg) ?? printer(arg), p));
  return after;
};

function writeInteger(ctx, arg, base, p) {
  const text = integerText(arg, base, p);
  print(ctx, text ?? padded(simpleNumber(arg) ?? printStr(arg), { mincol: p.mincol, colinc: 1, minpad: 0, padchar: p.padchar, at: true }));
}

const integer = (base) => (ctx, node, p, nav) => {
  const [arg, after] = nextArg(nav);
  writeInteger(ctx, arg, base, p);
  return after;
};

function radix(ctx, node, p, nav) {
  const [arg, after] = nextArg(nav);
  if (node.params[0] !== null) writeInteger(ctx, arg, toDouble(p.base), p);
  else if (p.at) print(ctx, romanText(arg, p.colon));
  else print(ctx, p.colon ? ordinalText(arg) : cardinalText(arg));
  return after;
}

function plural(ctx, node, p, nav) {
  const [arg, after] = nextArg(p.colon ? relative(nav, -1) : nav);
  const one = equiv(arg, 1);
  print(ctx, p.at ? (one ? 'y' : 'ies') : (one ? '' : 's'));
  return after;
}

/** A char's code, as Clojure's (int c) takes it (a number is taken as a code too). */
function charCode(x) {
  if (x instanceof Char) return x.c.charCodeAt(0);
  if (typeof x === 'number' || typeof x === 'bigint') return Number(toLong(x, 'int'));
  throw classCastError(`class ${className(x)} cannot be cast to class java.lang.Character`);
}

const KEY_NAMES = { 8: 'Backspace', 9: 'Tab', 10: 'Newline', 13: 'Return', 32: 'Space' };

function character(ctx, node, p, nav) {
  const [c, after] = nextArg(nav);
  if (p.colon) {
    const code = charCode(c), low = code & 127;
    if (code & 128) print(ctx, 'Meta-');
    if (KEY_NAMES[low] !== undefined) print(ctx, KEY_NAMES[low]);
    else if (low < 32) print(ctx, `Control-${String.fromCharCode(low + 64)}`);
    else if (low === 127) print(ctx, 'Control-?');
    else ctx.out.char(String.fromCharCode(low));
  } else if (p.at) readableChar(ctx, c, p['char-format']);
  else if (c instanceof Char) ctx.out.char(c.c);
  else print(ctx, printStr(c));
  return after;
}

function readableChar(ctx, c, form) {
  if (form === null) {
    if (!(c instanceof Char)) print(ctx, prStr(c));
    else if (!readably()) ctx.out.char(c.c);
    else {
      ctx.out.char('\\');
      if (CHAR_NAMES[c.c] !== undefined) print(ctx, CHAR_NAMES[c.c]); else ctx.out.char(c.c);
    }
  } else if (form instanceof Char && (form.c === 'o' || form.c === 'u')) {
    const code = charCode(c);
    print(ctx, form.c === 'o' ? '\\o' : '\\u');
    print(ctx, code.toString(form.c === 'o' ? 8 : 16).padStart(form.c === 'o' ? 3 : 4, '0'));
  } else {
    throw illegalArgument(`No matching clause: ${printStr(form)}`);
  }
}

const float = (format) => (ctx, node, p, nav) => {
  const [arg, after] = nextArg(nav);
  print(ctx, format(arg, p));
  return after;
};

const repeated = (s) => (ctx, node, p, nav) => {
  for (let i = 0; i < p.count; i++) ctx.out.char(s);
  return nav;
};

/** ~&: a newline unless at the start of a line (which only the column counter can tell). */
function freshLine(ctx, node, p, nav) {
  if (p.count > 0 && !(ctx.columns !== null && ctx.out === ctx.columns && ctx.columns.column === 0)) newlines(ctx, 1);
  newlines(ctx, p.count - 1);
  return nav;
}

/**
 * The column, which Clojure takes from its pretty writer: there only when the format itself
 * (not a ~? format it runs) has a ~T or ~&, and not inside ~( ~), whose writer wraps it.
 */
function column(ctx) {
  if (ctx.columns === null || ctx.out !== ctx.columns) {
    const w = ctx.writer;
    const cls = ctx.columns !== null ? 'clojure.pprint.proxy$java.io.Writer'
      : w === null || w === false ? 'java.io.StringWriter' : className(w === true ? coreLib['*out*'] : w);
    throw classCastError(`class ${cls} cannot be cast to class java.util.concurrent.Future`);
  }
  return ctx.columns.column;
}

function tabulate(ctx, node, p, nav) {
  const current = column(ctx), { colnum, colinc } = p;
  let spaces;
  if (p.at) {
    const offset = colinc > 0 ? (colnum + current) % colinc : 0;
    spaces = colnum + (offset === 0 ? 0 : colinc - offset);
  } else if (current < colnum) spaces = colnum - current;
  else spaces = colinc === 0 ? 0 : colinc - ((current - colnum) % colinc);
  print(ctx, ' '.repeat(Math.max(0, spaces)));
  return nav;
}

function goTo(ctx, node, p, nav) {
  if (p.at) return absolute(nav, p.n ?? 0);
  const n = p.n ?? 1;
  return relative(nav, p.colon ? -n : n);
}

function indirect(ctx, node, p, nav, base) {
  const [fmt, after] = formatArg(nav);
  if (p.at) return run(fmt, after, base, ctx);
  const [args, rest] = nextArg(after);
  run(fmt, navOf(args), base, ctx);
  return rest;
}

function caseConversion(ctx, node, p, nav, base) {
  const saved = ctx.out;
  ctx.out = p.at && p.colon ? upcase(saved) : p.colon ? capitalizeWords(saved) : p.at ? capitalizeFirst(saved) : downcase(saved);
  try {
    return run(node.clauses[0], nav, base, ctx);
  } finally {
    ctx.out = saved;
  }
}

function conditional(ctx, node, p, nav, base) {
  if (p.colon) {
    const [arg, after] = nextArg(nav);
    const clause = node.clauses[truthy(arg) ? 1 : 0];
    return clause === undefined ? after : run(clause, after, base, ctx);
  }
  if (p.at) {
    const [arg, after] = nextArg(nav);
    if (!truthy(arg)) return after;
    return node.clauses[0] === undefined ? nav : run(node.clauses[0], nav, base, ctx);
  }
  const [arg, after] = p.selector !== null ? [p.selector, nav] : nextArg(nav);
  const i = toDouble(arg);
  const clause = i < 0 || i >= node.clauses.length ? node.else?.[0] : node.clauses[Math.trunc(i)];
  return clause === undefined ? after : run(clause, after, base, ctx);
}

const infiniteLoop = (which) => new CljError('RuntimeException', `%${which} construct not consuming any arguments: Infinite loop!`);

/** Whether an iteration stops before its next round. */
const done = (node, p, empty, count) => (empty && (!node.rightColon || count > 0))
  || (p['max-iterations'] !== null && count >= p['max-iterations']);

/** ~{: the next argument is the list the rounds take their arguments from. */
function iterateList(ctx, node, p, nav, base, clause) {
  const [list, after] = nextArg(nav);
  let args = navOf(list);
  for (let count = 0, last = -1; ; count++) {
    if (p['max-iterations'] === null && args.pos === last && count > 1) throw infiniteLoop('{');
    if (done(node, p, restEmpty(args), count)) return after;
    const result = run(clause, args, base, ctx);
    if (result instanceof Exit) return after;
    last = args.pos;
    args = result;
  }
}

/** ~:{: the next argument is a list of lists, one a round. */
function iterateSublists(ctx, node, p, nav, base, clause) {
  const [list, after] = nextArg(nav);
  for (let count = 0, s = seq(list); ; count++) {
    if (done(node, p, s === null, count)) return after;
    const result = run(clause, navOf(first(s)), navOf(next(s)), ctx);
    if (result instanceof Exit && result.colon) return after;
    s = next(s);
  }
}

/** ~@{: the rounds take the remaining arguments. */
function iterateRest(ctx, node, p, nav, base, clause) {
  for (let count = 0, last = -1; ; count++) {
    if (p['max-iterations'] === null && nav.pos === last && count > 1) throw infiniteLoop('@{');
    if (done(node, p, restEmpty(nav), count)) return nav;
    const result = run(clause, nav, base, ctx);
    if (result instanceof Exit) return result.colon ? result : result.nav;
    last = nav.pos;
    nav = result;
  }
}

/** ~:@{: each remaining argument is the list of one round. */
function iterateRestSublists(ctx, node, p, nav, base, clause) {
  for (let count = 0; ; count++) {
    if (done(node, p, restEmpty(nav), count)) return nav;
    let list;
    [list, nav] = nextArgOrNil(nav);
    const result = run(clause, navOf(list), nav, ctx);
    if (result instanceof Exit && result.colon) return nav;
  }
}

function iteration(ctx, node, p, nav, base) {
  let clause = node.clauses[0];
  if (clause.length === 0) [clause, nav] = formatArg(nav);
  const how = p.at && p.colon ? iterateRestSublists : p.colon ? iterateSublists : p.at ? iterateRest : iterateList;
  return how(ctx, node, p, nav, base, clause);
}

function upAndOut(ctx, node, p, nav, base) {
  const { arg1, arg2, arg3 } = p;
  let exit;
  if (truthy(arg1) && truthy(arg2) && truthy(arg3)) exit = lte(arg1, arg2) && lte(arg2, arg3);
  else if (truthy(arg1) && truthy(arg2)) exit = equiv(arg1, arg2);
  else if (truthy(arg1)) exit = equiv(arg1, 0);
  else exit = restEmpty(p.colon ? base : nav);
  return exit ? new Exit(p.colon, nav) : nav;
}

/** A closing bracket or separator outside its bracket: Clojure has nothing to run for it. */
function stray() {
  throw nullPointer('Cannot invoke "clojure.lang.IFn.applyTo(clojure.lang.ISeq)" because "f" is null');
}

// ---------------------------------------------------------------------------------------
// The directive table: parameters [name, default, type], allowed flags, and how each runs
// ---------------------------------------------------------------------------------------

const INT = 'Integer', CHR = 'Character';
const NONE = {}, AT = { at: true }, COLON = { colon: true }, EITHER = { at: true, colon: true };
const ALL = { at: true, colon: true, both: true };
const PAD = [['mincol', 0, INT], ['colinc', 1, INT], ['minpad', 0, INT], ['padchar', ' ', CHR]];
const INTEGER = [['mincol', 0, INT], ['padchar', ' ', CHR], ['commachar', ',', CHR], ['commainterval', 3, INT]];
const EXPONENTIAL = [['w', null, INT], ['d', null, INT], ['e', null, INT], ['k', 1, INT],
  ['overflowchar', null, CHR], ['padchar', ' ', CHR], ['exponentchar', null, CHR]];
const COUNT = [['count', 1, INT]];

const TEXT = { name: 'text', params: [], run: (ctx, node, p, nav) => { print(ctx, node.text); return nav; } };

const DIRECTIVES = Object.create(null);
function directive(name, params, flags, run, more = {}) {
  DIRECTIVES[name] = { name, params, flags, run, ...more };
}
const refused = (what) => ({ unsupported: what });

directive('A', PAD, ALL, ascii(printStr));
directive('S', PAD, ALL, ascii(prStr));
directive('D', INTEGER, ALL, integer(10));
directive('B', INTEGER, ALL, integer(2));
directive('O', INTEGER, ALL, integer(8));
directive('X', INTEGER, ALL, integer(16));
directive('R', [['base', null, INT], ...INTEGER], ALL, radix);
directive('P', [], ALL, plural);
directive('C', [['char-format', null, CHR]], ALL, character);
directive('F', [['w', null, INT], ['d', null, INT], ['k', 0, INT], ['overflowchar', null, CHR], ['padchar', ' ', CHR]],
  AT, float(fixedText));
directive('E', EXPONENTIAL, AT, float(exponentialText));
directive('G', EXPONENTIAL, AT, stray, refused('general floating point'));
directive('$', [['d', 2, INT], ['n', 1, INT], ['w', 0, INT], ['padchar', ' ', CHR]], ALL, float(dollarText));
directive('%', COUNT, NONE, repeated('\n'));
directive('&', COUNT, NONE, freshLine, { columns: true });
directive('|', COUNT, NONE, repeated('\f'));
directive('~', [['n', 1, INT]], NONE, (ctx, node, p, nav) => { print(ctx, '~'.repeat(Math.max(0, p.n))); return nav; });
directive('\n', [], EITHER, (ctx, node, p, nav) => { if (p.at) newlines(ctx, 1); return nav; });
directive('T', [['colnum', 1, INT], ['colinc', 1, INT]], AT, tabulate, { columns: true });
directive('*', [['n', null, INT]], EITHER, goTo);
directive('?', [], AT, indirect);
directive('(', [], ALL, caseConversion, { bracket: { right: ')', separator: false, else: null } });
directive(')', [], NONE, stray);
directive('[', [['selector', null, INT]], EITHER, conditional, { bracket: { right: ']', separator: true, else: 'last' } });
directive(';', [['min-remaining', null, INT], ['max-columns', null, INT]], COLON, stray, { separator: true });
directive(']', [], NONE, stray);
directive('{', [['max-iterations', null, INT]], ALL, iteration, { bracket: { right: '}', separator: false, else: null } });
directive('}', [], COLON, stray);
directive('<', PAD, ALL, stray, { bracket: { right: '>', separator: true, else: 'first' }, columns: true, ...refused('justification and logical blocks') });
directive('>', [], COLON, stray);
directive('^', [['arg1', null, INT], ['arg2', null, INT], ['arg3', null, INT]], COLON, upAndOut);
directive('W', [], ALL, stray, { columns: true, ...refused('write') });
directive('_', [], ALL, stray, refused('conditional newline'));
directive('I', [['n', 0, INT]], COLON, stray, refused('indent'));

// ---------------------------------------------------------------------------------------
// The entry point
// ---------------------------------------------------------------------------------------

/** `(cl-format writer format args)`: the text when writer is nil, else nil. */
export function clFormat(writer, fmt, args) {
  if (typeof fmt !== 'string') {
    throw illegalArgument(`cl-format takes a format string, not ${className(fmt)} (compiled formats are not supported)`);
  }
  const tree = compile(fmt);
  const dest = destination(writer);
  const columns = needsColumns(tree) ? new Columns(dest) : null;
  run(tree, navOf(args), null, { out: columns ?? dest, columns, writer });
  return dest.result();
}

internal('cl-format', { 3: clFormat });
