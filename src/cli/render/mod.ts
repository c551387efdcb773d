/**
 * How the command line shows things to people: results, tables, UI trees,
 * inline images, progress bars, the pairing box and absence reasons.
 *
 * @module
 */

export { formatRaw, formatResult, type FormatResultOptions } from "./format_result.ts";
export { detectImageProtocol, encodeInlineImage, type ImageProtocol } from "./inline_image.ts";
export { type PairingBoxInfo, renderPairingBox } from "./pairing_box.ts";
export { ProgressBar } from "./progress_bar.ts";
export { renderTable } from "./text_layout.ts";
export { renderUiTree } from "./ui_tree_view.ts";
