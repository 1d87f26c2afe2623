// Saves generated text as a file from the page, offline too: a Blob behind a temporary download link.
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in Safari; a moment later it has started.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
