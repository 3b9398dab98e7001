/**
 * The emulator's root page: received events, newest first, with what the bridge rendered.
 * Everything that came from a trigger or a bridge is escaped; email and in-app HTML are shown
 * as a page would show them, inside sandboxed iframes (no scripts, no same-origin access).
 */
import type { EventRecord, RecipientRecord, StepRecord } from "./event-store.ts";

/** Escapes text for HTML element content and for quoted attribute values (e.g. srcdoc). */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function field(label: string, value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  return `<div class="field"><span class="label">${escapeHtml(label)}</span> ${
    escapeHtml(value)
  }</div>`;
}

/** HTML content shown as a page would show it: a sandboxed iframe runs no script. */
function sandboxedHtml(kind: "email" | "in-app", title: unknown, html: unknown): string {
  return `<iframe class="${kind}" sandbox title="${escapeHtml(title)}" srcdoc="${
    escapeHtml(html)
  }"></iframe>`;
}

function renderOutputs(step: StepRecord): string {
  const outputs = step.outputs;
  if (!outputs) return "";
  switch (step.type) {
    case "email":
      return field("Subject", outputs.subject) +
        sandboxedHtml("email", outputs.subject, outputs.body);
    case "in_app":
      return field("Subject", outputs.subject) +
        sandboxedHtml("in-app", outputs.subject ?? "in-app message", outputs.body);
    case "push":
      return field("Subject", outputs.subject) + field("Body", outputs.body);
    case "sms":
    case "chat":
      return field("Body", outputs.body);
    default:
      return `<pre>${escapeHtml(JSON.stringify(outputs, null, 2))}</pre>`;
  }
}

function renderStep(step: StepRecord): string {
  const error = step.error
    ? `<pre class="error">${escapeHtml(step.error.status ?? "")} ${
      escapeHtml(step.error.body)
    }</pre>`
    : "";
  return `<li class="step ${escapeHtml(step.status)}"><span class="step-head">${
    escapeHtml(step.stepId)
  } (${escapeHtml(step.type)}): ${escapeHtml(step.status)}</span>${field("Reason", step.reason)}${
    renderOutputs(step)
  }${error}</li>`;
}

function renderRecipient(recipient: RecipientRecord): string {
  return `<li class="recipient"><span class="label">Subscriber</span> ${
    escapeHtml(recipient.subscriberId)
  }<ol>${recipient.steps.map(renderStep).join("")}</ol></li>`;
}

function renderEvent(event: EventRecord): string {
  return `<section class="event ${escapeHtml(event.status)}">
<h2>${escapeHtml(event.workflowId)} <small>${escapeHtml(event.status)}</small></h2>
${field("Transaction", event.transactionId)}${
    field("Accepted", new Date(event.acceptedAt).toISOString())
  }${field("Duplicates", event.duplicates || "")}${field("Reason", event.reason)}
<ul>${event.recipients.map(renderRecipient).join("")}</ul>
</section>`;
}

export function renderEventsPage(
  events: EventRecord[],
  totals: { events: number; triggersAccepted: number; duplicates: number; cancels: number },
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="2">
<title>Novu emulator</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
.event { border: 1px solid #ccc; border-radius: 6px; padding: 0.5rem 1rem; margin-bottom: 1rem; }
.event.failed { border-color: #c33; } .event.cancelled { border-color: #999; opacity: 0.8; }
.label { color: #666; font-size: 0.85em; }
.step.failed .step-head { color: #c33; } .step.skipped .step-head { color: #999; }
iframe.email { width: 100%; height: 16rem; border: 1px solid #ddd; background: #fff; }
iframe.in-app { width: 100%; height: 4rem; border: 1px solid #ddd; background: #fff; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5rem; }
</style>
</head>
<body>
<h1>Novu emulator</h1>
<p>${totals.events} events, ${totals.triggersAccepted} triggers accepted, ${totals.duplicates}
duplicates, ${totals.cancels} cancels. Showing the newest ${events.length}.</p>
${events.length === 0 ? "<p>No events yet.</p>" : events.map(renderEvent).join("\n")}
</body>
</html>`;
}
