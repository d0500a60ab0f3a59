"""Random strings encoded by Hugging Face `tokenizers` with Tests/TSFCTestSupport/Fixtures/tokenizer/tokenizer.json, as a
second golden set for BPETokenizer (run from this folder: python make_random_cases.py).
Each case is encoded twice: with the file as it is (add_prefix_space false) and with the
ByteLevel pre-tokenizer's add_prefix_space switched on."""
import json, random
from tokenizers import Tokenizer

spec = json.load(open("../../../TSFCTestSupport/Fixtures/tokenizer/tokenizer.json"))
plain = Tokenizer.from_str(json.dumps(spec))
spec["pre_tokenizer"]["add_prefix_space"] = True
prefixed = Tokenizer.from_str(json.dumps(spec))

pieces = ["a", "Z", "é", "ß", "中", "ж", "0", "7", "½", "٣", "'", "s", "t", "re", "ve", "ll", "m",
          "d", " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", ".", "-", "!", "📈",
          "e\u0301", "_", "<|endoftext|>", "<|endoftext|", "the", " value", " trend", "2016",
          "-07-", ":00", "I'm", "don't", "they'll", "we'd", "Task", " forecast", "\x00", "\x7f"]
rng = random.Random(2026)
cases = []
for _ in range(300):
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
    cases.append({"text": text, "ids": plain.encode(text).ids,
                  "ids_add_prefix_space": prefixed.encode(text).ids})
with open("random_cases.json", "w") as f:
    f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=False) for c in cases) + "\n]\n")
print(len(cases), "cases")
