/**
 * A minimal WebAssembly binary builder: enough to write a few functions
 * (i32/i64 locals, arithmetic, loads and stores, structured control flow)
 * into one module with one memory page. `_chacha20_poly1305.ts` uses it to
 * run the cipher with native 32-bit rotates and 64-bit multiplies, which
 * JavaScript does not have.
 *
 * Instructions are appended to a {@linkcode WasmFunction} in stack-machine
 * order, e.g. `f.get(a).get(b).op(Op.i32Add).set(a)` is `a = a + b`.
 *
 * @module
 */

/** Value types. */
export const I32 = 0x7f;
/** Value types. */
export const I64 = 0x7e;

/** Opcodes used by the cipher (names follow the WebAssembly text format). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  /** Block type of `block`/`loop`/`if` without results. */
  void: 0x40,
  i32Eqz: 0x45,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i32Rotl: 0x77,
  i64Add: 0x7c,
  i64Mul: 0x7e,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** One function: its signature, extra locals and body. */
export class WasmFunction {
  readonly params: readonly number[];
  readonly results: readonly number[];
  #locals: number[] = [];
  #code: number[] = [];

  constructor(params: number[], results: number[]) {
    this.params = params;
    this.results = results;
  }

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.#locals.push(type);
    return this.params.length + this.#locals.length - 1;
  }

  /** Appends raw opcodes (see {@linkcode Op}). */
  op(...bytes: number[]): this {
    for (const b of bytes) this.#code.push(b);
    return this;
  }

  /** `local.get`. */
  get(index: number): this {
    return this.op(0x20, ...uleb(index));
  }

  /** `local.set`. */
  set(index: number): this {
    return this.op(0x21, ...uleb(index));
  }

  /** `local.tee`. */
  tee(index: number): this {
    return this.op(0x22, ...uleb(index));
  }

  /** `i32.const`. */
  i32(value: number): this {
    return this.op(0x41, ...sleb(value | 0));
  }

  /** `i64.const` (a value below 2^53). */
  i64(value: number): this {
    return this.op(0x42, ...sleb(value));
  }

  /** `i32.load` at the popped address plus `offset`. */
  load32(offset: number): this {
    return this.op(0x28, 0, ...uleb(offset));
  }

  /** `i32.load8_u` at the popped address plus `offset`. */
  load8(offset: number): this {
    return this.op(0x2d, 0, ...uleb(offset));
  }

  /** `i32.store` (address, value) at the address plus `offset`. */
  store32(offset: number): this {
    return this.op(0x36, 0, ...uleb(offset));
  }

  /** `i32.store8` (address, value) at the address plus `offset`. */
  store8(offset: number): this {
    return this.op(0x3a, 0, ...uleb(offset));
  }

  /** `call` of the function with index `index` in the module. */
  call(index: number): this {
    return this.op(0x10, ...uleb(index));
  }

  /** The function's entry in the code section. */
  encode(): number[] {
    const body = [...vec(this.#locals.map((type) => [1, type])), ...this.#code, Op.end];
    return [...uleb(body.length), ...body];
  }
}

/**
 * Builds a module of `functions` (indices in array order) with one page of
 * memory, exporting the memory as `memory` and each named function.
 */
export function buildModule(
  functions: readonly WasmFunction[],
  exports: Readonly<Record<string, number>>,
): Uint8Array<ArrayBuffer> {
  const name = (text: string): number[] => {
    const bytes = Array.from(new TextEncoder().encode(text));
    return [...uleb(bytes.length), ...bytes];
  };
  const types = functions.map((f) => [
    0x60,
    ...vec(f.params.map((t) => [t])),
    ...vec(f.results.map((t) => [t])),
  ]);
  const exported = [
    [...name("memory"), 0x02, 0],
    ...Object.entries(exports).map(([key, index]) => [...name(key), 0x00, ...uleb(index)]),
  ];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec(exported)),
    ...section(10, vec(functions.map((f) => f.encode()))),
  ]);
}
