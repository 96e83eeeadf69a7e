import t from "tap";
import { chooseRedisUrl, hidePasswordIn, parseRedisUrl } from "../../lib/pool/redis-url.js";
import { MityError } from "../../lib/util/errors.js";

t.test("a URL becomes connection options, and is shown without its password", async (t) => {
  const target = parseRedisUrl("rediss://deployer:p%40ss@queue.example:6380/2", "MITY_REDIS_URL");
  t.match(target, { host: "queue.example", port: 6380, username: "deployer", password: "p@ss", db: 2, tls: {} });
  t.equal(target.shown, "rediss://deployer:***@queue.example:6380/2");
  t.match(parseRedisUrl("redis://127.0.0.1", "--redis"), { host: "127.0.0.1", port: 6379, db: 0 });
  t.notOk("tls" in parseRedisUrl("redis://127.0.0.1", "--redis"), "plain redis:// is not TLS");
});

t.test("a bad URL is the user's mistake, said without the password", async (t) => {
  const message = (url: string) => {
    try {
      parseRedisUrl(url, "--redis");
    } catch (error) {
      t.ok(error instanceof MityError);
      return (error as Error).message;
    }
    return "";
  };
  t.equal(message("http://u:secret@host"), "--redis: http://u:***@host/ is not a redis:// or rediss:// URL");
  t.notMatch(message("redis://u:secret@host/x"), /secret/);
  t.notMatch(message("not a url u:secret@"), /secret/);
});

t.test("a password inside any text is hidden", async (t) => {
  t.equal(hidePasswordIn("connect ECONNREFUSED redis://a:b@c:1"), "connect ECONNREFUSED redis://a:***@c:1");
  t.equal(hidePasswordIn("no url here"), "no url here");
});

t.test("--redis wins over MITY_REDIS_URL, which wins over the settings", async (t) => {
  t.same(chooseRedisUrl("redis://a", { MITY_REDIS_URL: "redis://b" }, "redis://c"), { url: "redis://a", from: "--redis" });
  t.same(chooseRedisUrl(undefined, { MITY_REDIS_URL: "redis://b" }, "redis://c"), { url: "redis://b", from: "MITY_REDIS_URL" });
  t.same(chooseRedisUrl(undefined, {}, "redis://c"), { url: "redis://c", from: "the settings' redis" });
  t.equal(chooseRedisUrl(undefined, {}, undefined), undefined);
});
