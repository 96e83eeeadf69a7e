import { MityError } from "../util/errors.js";

/** How to reach Redis, as ioredis and BullMQ take it. */
export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  /** Set for `rediss://`: the connection is TLS. */
  tls?: Record<string, never>;
  /** The URL with its password replaced by `***`: the only form shown to anyone. */
  shown: string;
}

/** Reads a `redis://` or `rediss://` URL; a bad one is the user's mistake, named without its password. */
export function parseRedisUrl(url: string, from: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not echoed: a mistyped URL may hold a password in a place no pattern finds.
    throw new MityError(`${from}: not a URL (write redis://host:6379 or rediss://user:password@host:6380/0)`);
  }
  const shown = showUrl(parsed);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new MityError(`${from}: ${shown} is not a redis:// or rediss:// URL`);
  }
  const dbText = parsed.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new MityError(`${from}: ${shown}: the database after the host must be a number, not ${JSON.stringify(dbText)}`);
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    db,
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    shown,
  };
}

function showUrl(url: URL): string {
  if (url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href;
}

/** A text that may hold a URL, with the password of any `scheme://user:password@` in it replaced. */
export function hidePasswordIn(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
}

/** Where the URL comes from, first found wins: `--redis`, then `MITY_REDIS_URL`, then the settings' `redis`. */
export function chooseRedisUrl(option: string | undefined, env: Readonly<Record<string, string | undefined>>, setting: string | undefined): { url: string; from: string } | undefined {
  if (option !== undefined) return { url: option, from: "--redis" };
  const fromEnv = env["MITY_REDIS_URL"];
  if (fromEnv) return { url: fromEnv, from: "MITY_REDIS_URL" };
  if (setting !== undefined) return { url: setting, from: "the settings' redis" };
  return undefined;
}
