/*
 * The CLIPBOARD selection owner of od_clipboard_*: a background thread with its own XCB
 * connection that holds the written entries and answers SelectionRequest events (TARGETS,
 * TIMESTAMP, the entries' MIME types and the text aliases), sending large data with INCR.
 * Internal: not part of the ABI.
 */
#ifndef OPENDESK_X11_CLIPBOARD_OWNER_H
#define OPENDESK_X11_CLIPBOARD_OWNER_H

#include <stdint.h>

typedef struct OdcOwner OdcOwner;

/* Starts the owner thread on its own connection to `display_name` (NULL = $DISPLAY). */
int odc_owner_start(const char *display_name, OdcOwner **out);
/* Stops the thread, gives up the selection and frees everything. */
void odc_owner_stop(OdcOwner *o);
/*
 * Replaces the served entries with a copy of `packed` (repeated: u32 mime length, mime bytes,
 * u32 data length, data bytes; little-endian host order) and takes ownership of CLIPBOARD.
 * Returns once the X server confirms ownership or after `timeout_ms`.
 */
int odc_owner_set(OdcOwner *o, const uint8_t *packed, uint32_t len, uint32_t timeout_ms);
/* 1 while this owner holds CLIPBOARD, else 0. */
int odc_owner_holds(OdcOwner *o);

#endif
