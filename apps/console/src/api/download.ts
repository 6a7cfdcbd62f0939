/**
 * Saves text the hub returned as a file, byte for byte: the download is the API's own text
 * (CSV, Markdown), never a second rendering of it.
 */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download by the next task; then it can go.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
