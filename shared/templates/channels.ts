/**
 * Channel-specific finishing of rendered HTML (variables are already escaped by `compile.ts`).
 *
 * - EMAIL: the HTML as rendered.
 * - IN_APP: restricted HTML, sanitised with `sanitize-html` to b, i, em, strong, a (href with
 *   http, https or mailto only), p, br, ul, ol, li, span.
 * - SMS, PUSH, CHAT and every subject: plain text: tags stripped (`<script>`/`<style>` with
 *   their content), entities decoded, whitespace collapsed to single spaces.
 */
import sanitizeHtml from "sanitize-html";
import { Parser } from "htmlparser2";
import { SegmentedMessage } from "sms-segments-calculator";
import type { Channel } from "../channels.ts";
import type { SmsEncoding } from "./types.ts";
import { TemplateLimitError } from "./errors.ts";

interface SanitizeOptions {
  allowedTags: string[];
  allowedAttributes: Record<string, string[]>;
  allowedSchemes: string[];
  allowProtocolRelative: boolean;
  disallowedTagsMode: "discard";
}

/** `sanitize-html` ships no type declarations; this is the call this module makes. */
const sanitize = sanitizeHtml as (html: string, options: SanitizeOptions) => string;

const IN_APP_POLICY: SanitizeOptions = {
  allowedTags: ["b", "i", "em", "strong", "a", "p", "br", "ul", "ol", "li", "span"],
  allowedAttributes: { a: ["href"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
};

/** Elements whose boundaries separate words when the markup is removed. */
const BLOCK_ELEMENTS = new Set([
  "address",
  "article",
  "blockquote",
  "br",
  "dd",
  "div",
  "dl",
  "dt",
  "footer",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "ol",
  "p",
  "pre",
  "section",
  "table",
  "td",
  "th",
  "tr",
  "ul",
]);
const NON_TEXT_ELEMENTS = new Set(["script", "style", "head", "title"]);

export function toRestrictedHtml(html: string): string {
  return sanitize(html, IN_APP_POLICY);
}

/** Without `<` or `&` there is no markup or entity to process, only whitespace. */
const HAS_MARKUP = /[<&]/;

export function toPlainText(html: string): string {
  if (!HAS_MARKUP.test(html)) return html.replace(/\s+/g, " ").trim();
  const parts: string[] = [];
  let hiddenDepth = 0;
  const parser = new Parser({
    onopentag(name: string) {
      if (NON_TEXT_ELEMENTS.has(name)) hiddenDepth++;
      else if (BLOCK_ELEMENTS.has(name)) parts.push(" ");
    },
    onclosetag(name: string) {
      if (NON_TEXT_ELEMENTS.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
      else if (BLOCK_ELEMENTS.has(name)) parts.push(" ");
    },
    ontext(text: string) {
      if (hiddenDepth === 0) parts.push(text);
    },
  }, { decodeEntities: true, lowerCaseTags: true });
  parser.write(html);
  parser.end();
  return parts.join("").replace(/\s+/g, " ").trim();
}

export function isPlainTextChannel(channel: Channel): boolean {
  return channel === "SMS" || channel === "PUSH" || channel === "CHAT";
}

/** The rendered body as the channel delivers it. */
export function finishBody(channel: Channel, html: string): string {
  if (channel === "EMAIL") return html;
  if (channel === "IN_APP") return toRestrictedHtml(html);
  return toPlainText(html);
}

/**
 * The longest SMS body delivered, in characters: Twilio's limit for one message (10
 * concatenated GSM-7 segments fit in it). Counting segments costs more than linear time in the
 * text's length (a 40 KB text took 7 s), so the length is checked before counting.
 */
export const MAX_SMS_CHARS = 1_600;

/**
 * SMS parts per the GSM 03.38 rules (160/153 GSM-7 characters, 70/67 UCS-2 characters).
 * Throws `TemplateLimitError` for a text longer than `MAX_SMS_CHARS`, without counting it.
 */
export function smsSegments(text: string): { segments: number; encoding: SmsEncoding } {
  if (text.length > MAX_SMS_CHARS) {
    throw new TemplateLimitError(
      `the SMS body is ${text.length} characters, more than the ${MAX_SMS_CHARS} one SMS can carry`,
    );
  }
  const message = new SegmentedMessage(text);
  return {
    segments: message.segmentsCount,
    encoding: message.getEncodingName() === "GSM-7" ? "GSM-7" : "UCS-2",
  };
}
