/**
 * Control characters (C0, DEL, C1) and the bidirectional formatting characters (LRM, RLM, ALM, the
 * embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069): an uploader's
 * `invoice<RLO>fdp.hta` shows as `invoiceath.pdf` in a file manager while it is an .hta.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The name a download is served under: stripped of what can hide its real end, always `.pdf`. */
export function cleanDownloadName(uploaded: string): string {
  const stripped = uploaded
    .replace(UNSAFE, '')
    .replace(/["\\/]/g, '_')
    .trim();
  const base = stripped.replace(/\.pdf$/i, '').trim() || 'document';
  return `${base}.pdf`;
}

/**
 * `attachment; filename="<clean name>.pdf"`, with the name also as RFC 5987 UTF-8 for names beyond
 * ASCII (the quoted one then has `_` in their place).
 */
export function attachmentDisposition(uploaded: string): string {
  const name = cleanDownloadName(uploaded);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_');
  return ascii === name
    ? `attachment; filename="${name}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
