/**
 * Notification type.
 *
 * @module
 */

import { z } from "zod";
import { floatSchema, nowSeconds, strSchema } from "./_lax.ts";

/** A desktop notification. */
export interface Notification {
  id: string;
  title: string;
  body: string;
  app: string | null;
  /** Epoch seconds. */
  timestamp: number;
}

/** A Notification before defaults are applied. */
export type NotificationInit = Pick<Notification, "id" | "title"> & {
  body?: string | undefined;
  app?: string | null | undefined;
  timestamp?: number | undefined;
};

/** A desktop notification. */
export const NotificationSchema: z.ZodType<Notification, z.ZodTypeDef, NotificationInit> = z
  .object({
    id: strSchema,
    title: strSchema,
    body: strSchema.default(""),
    app: strSchema.nullable().default(null),
    timestamp: floatSchema.default(nowSeconds),
  });
