// Reference token ids for the tokenizer-json encoder's tests, from Hugging Face's own tokenizers
// library (the Rust implementation, through its Node binding: npm package tokenizers@0.23.2).
//   npm install --prefix /tmp/ref tokenizers@0.23.2
//   NODE_PATH=/tmp/ref/node_modules node reference.js TOKENIZER_JSON OUT_JSON < sentences.txt
// For every line of standard input it records the ids of the text with the post-processor's
// special tokens, the token strings, each token's character range (UTF-16 offsets, as Java
// counts), and the ids when truncated to 16 tokens (special tokens included).
const fs = require("fs");
const { Tokenizer } = require("tokenizers");

const [file, out] = process.argv.slice(2);
const lines = fs.readFileSync(0, "utf8").split("\n").filter((l) => l.length > 0);

function utf16(text) {
  // code point index -> UTF-16 index
  const map = [];
  let u = 0;
  for (const ch of text) {
    map.push(u);
    u += ch.length;
  }
  map.push(u);
  return map;
}

async function main() {
  const tokenizer = Tokenizer.fromFile(file);
  tokenizer.disablePadding();
  tokenizer.disableTruncation();
  const truncated = Tokenizer.fromFile(file);
  truncated.disablePadding();
  truncated.setTruncation(16);
  const cases = [];
  for (const text of lines) {
    const e = await tokenizer.encode(text);
    const t = await truncated.encode(text);
    const map = utf16(text);
    cases.push({
      text,
      ids: e.getIds(),
      tokens: e.getTokens(),
      offsets: e.getOffsets().map(([b, en]) => [map[b], map[en]]),
      specialTokensMask: e.getSpecialTokensMask(),
      truncated16: t.getIds(),
    });
  }
  const meta = {
    reference: "npm tokenizers@0.23.2 (Hugging Face tokenizers, Rust, Node binding)",
    tokenizer: file.split("/").pop(),
    cases,
  };
  fs.writeFileSync(out, JSON.stringify(meta, null, 1) + "\n");
}
main();
