// The event's times in the reader's own time zone (the page shows the event's local time and
// UTC without JavaScript).
for (const element of document.querySelectorAll("[data-viewer-time]")) {
  const start = new Date(element.dataset.start);
  const end = new Date(element.dataset.end);
  if (Number.isNaN(start.getTime())) continue;
  const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "full",
    timeStyle: "short",
  });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  element.textContent = `${element.dataset.label} ${format.formatRange(start, end)} (${zone})`;
}
