/**
 * Writes the golden frame fixtures `tests/fixtures/frames/<frame_type>/<case>.hex`
 * from the `frames` group of the protocol test vectors (run once; the
 * results are committed).
 *
 * Usage: `deno run -A scripts/gen_frame_fixtures.ts [path/to/vectors.json]`
 * (default `/work/shared/spec/vectors.json`).
 *
 * @module
 */

interface FrameVector {
  description: string;
  decoded: { type: string };
  hex: string;
  length: number;
}

const source = Deno.args[0] ?? "/work/shared/spec/vectors.json";
const vectors = JSON.parse(await Deno.readTextFile(source)) as {
  frames: Record<string, FrameVector>;
};
const root = new URL("../tests/fixtures/frames/", import.meta.url);
for (const [name, vector] of Object.entries(vectors.frames)) {
  if (vector.hex.length !== vector.length * 2) {
    throw new Error(
      `Vector '${name}' has ${vector.hex.length / 2} bytes, expected ${vector.length}`,
    );
  }
  const dir = new URL(`${vector.decoded.type}/`, root);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(new URL(`${name}.hex`, dir), `${vector.hex}\n`);
  console.log(`${vector.decoded.type}/${name}.hex  ${vector.length} bytes`);
}
