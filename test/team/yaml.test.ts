import t from "tap";
// The YAML library GitHub's workflow parser reads with (a dependency of it and of tap).
import { parse } from "yaml";
import { toYaml, type YamlValue } from "../../lib/team/yaml.js";

t.test("what is written reads back as the same value, whatever the strings hold", async (t) => {
  const tricky = ["", "yes", "no", "on", "null", "~", "1.0", "0x1f", "# not a comment", "a: b", "- item", "{x}", "[y]", "'single'", '"double"', "tab\there", "é ü ☃", "\u0001", "trailing ", " leading", "a\nb", "a\n", "line one\n  indented\nlast", "x\r\ny", "${{ inputs.x }}", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick`", "|", ">"];
  const value: YamlValue = {
    strings: tricky,
    keyed: Object.fromEntries(tricky.filter(Boolean).map((text, i) => [text, i])),
    nested: [{ a: [1, true, null], "b-c": {} }, [], [[["deep"]]], { run: "set --\nnpx mity x \"$@\"" }],
    empty: [],
    none: {},
  };
  t.strictSame(parse(toYaml(value)), value);
});

t.test("a script of several lines is a literal block", async (t) => {
  t.equal(toYaml({ steps: [{ run: "set --\nnpx mity x" }] }), 'steps:\n  - run: |-\n      set --\n      npx mity x\n');
});
