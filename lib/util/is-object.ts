/** A plain object as a mityfile or a JSON file gives one: not null, not an array. */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
