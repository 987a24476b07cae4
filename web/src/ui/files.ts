/**
 * Model files from the file chooser or dropped anywhere on the page (a JSON file, with its
 * safetensors sidecar when it has one); an overlay shows while something is dragged over.
 */
export function onModelFiles(
  input: HTMLInputElement,
  overlay: HTMLElement,
  load: (files: File[]) => void,
): void {
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    if (files.length) load(files);
  });
  // dragenter/dragleave fire for every child crossed: count them.
  let depth = 0;
  window.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth++;
    overlay.hidden = false;
  });
  window.addEventListener('dragleave', () => {
    if (--depth <= 0) overlay.hidden = true;
  });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) load(files);
  });
}
