// Input pieces the review routes share: ids as the database stores them (positive int4), each message naming its field.
import { z } from "zod";

const INT4_MAX = 2_147_483_647;

export function idSchema(field: string) {
  return z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(1, `${field} must be at least 1`)
    .max(INT4_MAX, `${field} is too large`);
}
