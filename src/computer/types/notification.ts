/**
 * Notification type (computer-v1 §2.7).
 *
 * @module
 */

import { z } from "zod";
import { floatSchema, nowSeconds, strSchema } from "./_lax.ts";

/** A desktop notification. */
export const NotificationSchema = z.object({
  id: strSchema,
  title: strSchema,
  body: strSchema.default(""),
  app: strSchema.nullable().default(null),
  timestamp: floatSchema.default(nowSeconds),
});
/** A desktop notification. */
export type Notification = z.infer<typeof NotificationSchema>;
