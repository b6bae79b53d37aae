// Helpers for the server's SVG charts: draw one on a canvas to get a PNG, and save a file.

export async function svgToPngBlob(svgText, scale = 2) {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = doc.documentElement;
  const width = Number.parseFloat(svg.getAttribute("width")) || 800;
  const height = Number.parseFloat(svg.getAttribute("height")) || 600;
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.decoding = "async";
    await new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(new Error("The chart could not be drawn."));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("No PNG."))), "image/png"),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function saveBlob(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Each button with data-chart-png="<svg url>" saves that chart as a PNG named data-name. */
export function pngButtons(root = document) {
  for (const button of root.querySelectorAll("[data-chart-png]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const response = await fetch(button.dataset.chartPng, { credentials: "same-origin" });
        if (!response.ok) throw new Error(`The chart could not be loaded (${response.status}).`);
        const blob = await svgToPngBlob(await response.text());
        saveBlob(blob, button.dataset.name);
      } catch (error) {
        button.title = String(error.message || error);
      } finally {
        button.disabled = false;
      }
    });
  }
}
