/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SECTION:dp-prov-tftp
 * @title: TFTP client
 * @short_description: RFC 1350 read requests on the main loop
 *
 * dp_prov_tftp_get_async() fetches one file with a TFTP read request (RRQ),
 * octet mode, 512-byte blocks, lock-step. It runs on the thread-default main
 * context of the caller: one non-blocking UDP #GSocket watched by a #GSource,
 * retransmission by a timeout source; no threads, nothing blocks. Errors are
 * in %DP_PROV_FETCH_ERROR.
 *
 * Decisions:
 * - No TFTP options (RFC 2347 blksize/tsize): RFC 1350 only, which is what
 *   every SPA-era server speaks. The file name is sent as given (the rule's
 *   path, with its leading `/`); names over %DP_PROV_TFTP_MAX_NAME bytes or
 *   with control characters are refused before sending.
 * - The server's transfer ID (source port) is locked by the first DATA or
 *   ERROR that comes from the server's address. Later packets from that
 *   address but another port get ERROR 5 "Unknown transfer ID" and are
 *   otherwise ignored (RFC 1350 §4); packets from any other address are
 *   dropped silently (no error packets sprayed at strangers).
 * - Block numbers are 16 bits and wrap from 65535 to 0 (what tftpd-hpa and
 *   most servers do), so files over 32 MiB work.
 * - A duplicate of the last block (our ACK was lost or slow) is ACKed once
 *   more, and further copies of it are ignored until the next block: this
 *   breaks the Sorcerer's Apprentice loop (RFC 1123 §4.2.3.1) with a server
 *   that answers every ACK. Our retransmit timer resends the last ACK anyway
 *   if the transfer stalls. Older blocks are ignored; a block ahead of the
 *   expected one, a DATA over 512 bytes, or a malformed or unexpected
 *   packet from the server is %DP_PROV_FETCH_ERROR_PROTOCOL (ERROR 4 is
 *   sent).
 * - Timeout: the last packet (RRQ or ACK) is resent every @retransmit_ms;
 *   after @max_retries resends without progress the transfer fails with
 *   %DP_PROV_FETCH_ERROR_TIMEOUT. @timeout_ms additionally bounds the whole
 *   transfer.
 * - Size limit: more than @max_size bytes sends ERROR 3 ("Disk full or
 *   allocation exceeded") and fails with %DP_PROV_FETCH_ERROR_TOO_LARGE.
 * - ERROR packets: code 1 = %DP_PROV_FETCH_ERROR_NOT_FOUND, 4 and 5 =
 *   %DP_PROV_FETCH_ERROR_PROTOCOL, every other code =
 *   %DP_PROV_FETCH_ERROR_SERVER; the message quotes the server's text
 *   (non-printable bytes replaced by `?`).
 * - The final ACK is sent once and the result returned at once (no
 *   "dallying"): if it is lost the server times out, the data is complete.
 * - Cancelling sends ERROR 0 "cancelled" to a locked server and finishes
 *   with %G_IO_ERROR_CANCELLED.
 * - A host name is resolved with #GResolver; the first address is used.
 */

/** DP_PROV_TFTP_MAX_NAME: longest file name sent in a read request */
#define DP_PROV_TFTP_MAX_NAME 255
/** DP_PROV_TFTP_BLOCK: data bytes per block (RFC 1350) */
#define DP_PROV_TFTP_BLOCK 512

/**
 * DpProvTftpOpcode:
 * @DP_PROV_TFTP_RRQ: read request
 * @DP_PROV_TFTP_WRQ: write request
 * @DP_PROV_TFTP_DATA: data block
 * @DP_PROV_TFTP_ACK: acknowledgement
 * @DP_PROV_TFTP_ERROR: error
 */
typedef enum {
  DP_PROV_TFTP_RRQ = 1,
  DP_PROV_TFTP_WRQ = 2,
  DP_PROV_TFTP_DATA = 3,
  DP_PROV_TFTP_ACK = 4,
  DP_PROV_TFTP_ERROR = 5,
} DpProvTftpOpcode;

/**
 * DpProvTftpPacket:
 * @opcode: the opcode
 * @block: block number (DATA, ACK)
 * @error_code: error code (ERROR)
 * @data: (array length=data_len): DATA payload or ERROR message bytes
 *   (without the NUL), pointing into the parsed buffer
 * @data_len: length of @data
 * @filename: RRQ/WRQ file name, pointing into the parsed buffer (NUL-terminated there)
 * @mode: RRQ/WRQ mode, pointing into the parsed buffer
 *
 * One parsed packet; it borrows the buffer given to dp_prov_tftp_parse().
 */
typedef struct {
  DpProvTftpOpcode opcode;
  guint16 block;
  guint16 error_code;
  const guint8 *data;
  gsize data_len;
  const char *filename;
  const char *mode;
} DpProvTftpPacket;

gboolean dp_prov_tftp_parse        (const guint8     *packet,
                                    gsize             length,
                                    DpProvTftpPacket *out,
                                    GError          **error);
GBytes  *dp_prov_tftp_build_rrq    (const char       *filename,
                                    GError          **error);
GBytes  *dp_prov_tftp_build_ack    (guint16           block);
GBytes  *dp_prov_tftp_build_error  (guint16           code,
                                    const char       *message);

/**
 * DpProvTftpOptions:
 * @retransmit_ms: resend interval, 0 = 1000
 * @max_retries: resends without progress before giving up, 0 = 5
 * @max_size: largest file accepted, 0 = %DP_PROFILE_MAX_SIZE
 * @timeout_ms: bound on the whole transfer, 0 = none (only the retries bound it)
 */
typedef struct {
  guint retransmit_ms;
  guint max_retries;
  gsize max_size;
  guint timeout_ms;
} DpProvTftpOptions;

void    dp_prov_tftp_get_async  (const char              *server,
                                 guint16                  port,
                                 const char              *filename,
                                 const DpProvTftpOptions *options,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data);
GBytes *dp_prov_tftp_get_finish (GAsyncResult            *result,
                                 GError                 **error);

G_END_DECLS
