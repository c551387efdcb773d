/**
 * This machine's self-description, `<home>/description.txt`: the server reads
 * it on every HELLO (the file itself belongs to the auth layer's home files).
 *
 * @module
 */

export { DESCRIPTION_FILE, readDescription } from "../auth/description_file.ts";
