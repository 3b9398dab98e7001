import { BodyTooLargeError, bodyTooLargeResponse, readBoundedBody } from "../../http/body.ts";
import { jsonResponse } from "../../http/errors.ts";
import { refuseUnlessKicked } from "../../http/kick.ts";

export interface DispatcherHandlerOptions {
  /** Starts (or joins) a drain; resolves when it ends. */
  kick: () => Promise<void>;
  /** Keeps the instance alive for background work (`EdgeRuntime.waitUntil` on hosted). */
  waitUntil: (work: Promise<void>) => void;
  /** The kick secret (shared/http/kick.ts). */
  kickSecret: string | undefined;
}

/**
 * `POST /dispatcher`: the database (pg_net kick after an enqueue, pg_cron sweep) asks for the
 * queues to be drained. Only the database may ask (the kick secret, shared/http/kick.ts). The answer is 202 at once: pg_net
 * ignores it and a slot held for the whole drain would be wasted.
 */
export function createDispatcherHandler(
  options: DispatcherHandlerOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const refusal = await refuseUnlessKicked(request, "the dispatcher", options.kickSecret);
    if (refusal) return refusal;
    // The kick carries nothing the dispatcher reads, but a body is still bounded (413): no
    // request may make a function hold more than MAX_REQUEST_BODY_BYTES.
    try {
      await readBoundedBody(request);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
      throw error;
    }
    options.waitUntil(options.kick());
    return jsonResponse(202, { accepted: true });
  };
}
