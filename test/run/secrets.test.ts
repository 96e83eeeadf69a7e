import t from "tap";
import { addSecret, isSecretName, maskMaker, secretRules } from "../../lib/run/secrets.js";

t.test("names that look secret, in any case; declared names; '!' opts out; a later entry wins", async (t) => {
  const none = secretRules([]);
  for (const name of ["HCLOUD_TOKEN", "github_token", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "SMTP_PASSWD", "GOOGLE_CREDENTIALS", "STRIPE_API_KEY", "SSH_PRIVATE_KEY"]) {
    t.ok(isSecretName(name, none), name);
  }
  for (const name of ["HOME", "PATH", "APIKEY", "KEY", "PUBLIC_KEY"]) t.notOk(isSecretName(name, none), name);
  const rules = secretRules(["DEPLOY_KEY", "!TOKEN_URL", "!DEPLOY_KEY", "DEPLOY_KEY", "!DB_PASSWORD"]);
  t.ok(isSecretName("DEPLOY_KEY", rules), "declared, opted out, declared again: the last entry wins");
  t.notOk(isSecretName("TOKEN_URL", rules));
  t.notOk(isSecretName("DB_PASSWORD", rules));
  t.ok(isSecretName("OTHER_TOKEN", rules), "names the rules do not mention keep the default");
});

t.test("values under four characters (blanks not counted) are not kept; a multi-line value is kept whole and line by line", async (t) => {
  const values = new Set<string>();
  addSecret(values, undefined);
  addSecret(values, "abc");
  addSecret(values, "      ");
  addSecret(values, " ab ");
  addSecret(values, "abcd");
  addSecret(values, "line-one\r\nok\nline-three");
  t.strictSame([...values], ["abcd", "line-one\r\nok\nline-three", "line-one", "line-three"]);
});

t.test("a mask replaces every occurrence, longest value first, literally; none for no values; one per set of values", async (t) => {
  const maskOf = maskMaker();
  t.equal(maskOf(new Set()), undefined);
  const mask = maskOf(new Set(["abcd", "abcdef", "$1.*"]))!;
  t.equal(mask("abcdef abcd x abcdabcd $1.* $1x"), "*** *** x ****** *** $1x");
  t.equal(maskOf(new Set(["$1.*", "abcdef", "abcd"])), mask, "the same values in another order share the mask");
  t.not(maskOf(new Set(["abcd"])), mask);
});
