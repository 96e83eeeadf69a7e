import { MityError } from "../util/errors.js";

const CI_FIELDS = ["runsOn"];

/** Checks a mityfile's `ci` field: `{ runsOn: { <pool>: [labels] } }`. */
export function checkCi(ci: unknown, file: string): void {
  if (typeof ci !== "object" || ci === null || Array.isArray(ci)) throw new MityError("must be an object: { runsOn: { <pool>: [labels] } }", { file, field: "ci" });
  for (const key of Object.keys(ci)) {
    if (!CI_FIELDS.includes(key)) throw new MityError(`unknown field "${key}" (fields: ${CI_FIELDS.join(", ")})`, { file, field: `ci.${key}` });
  }
  const runsOn = (ci as { runsOn?: unknown }).runsOn;
  if (runsOn === undefined) return;
  if (typeof runsOn !== "object" || runsOn === null || Array.isArray(runsOn)) {
    throw new MityError('must map a pool to runner labels: { bastion: ["self-hosted", "bastion"] }', { file, field: "ci.runsOn" });
  }
  for (const [pool, labels] of Object.entries(runsOn)) {
    const good = Array.isArray(labels) && labels.length > 0 && labels.every((label) => typeof label === "string" && label !== "");
    if (!good) throw new MityError("must be a non-empty list of runner labels (strings)", { file, field: `ci.runsOn.${pool}` });
  }
}
