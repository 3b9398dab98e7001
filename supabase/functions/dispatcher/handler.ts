import { ClaimsError, claimsFromAuthorization } from "../../../shared/http/claims.ts";
import {
  BodyTooLargeError,
  bodyTooLargeResponse,
  readBoundedBody,
} from "../../../shared/http/body.ts";
import { errorResponse, jsonResponse } from "../../../shared/http/errors.ts";

export interface DispatcherHandlerOptions {
  /** Starts (or joins) a drain; resolves when it ends. */
  kick: () => Promise<void>;
  /** Keeps the instance alive for background work (`EdgeRuntime.waitUntil` on hosted). */
  waitUntil: (work: Promise<void>) => void;
}

/**
 * `POST /dispatcher`: the database (pg_net kick after an enqueue, pg_cron sweep) asks for the
 * queues to be drained. Only the service role may ask. The answer is 202 at once: pg_net
 * ignores it and a slot held for the whole drain would be wasted.
 */
export function createDispatcherHandler(
  options: DispatcherHandlerOptions,
): (request: Request) => Promise<Response> {
  return (request) => {
    if (request.method !== "POST") {
      return Promise.resolve(
        errorResponse(405, "METHOD_NOT_ALLOWED", "the dispatcher is started with POST"),
      );
    }
    let role: string;
    try {
      role = claimsFromAuthorization(request.headers.get("authorization")).role;
    } catch (error) {
      if (!(error instanceof ClaimsError)) throw error;
      return Promise.resolve(errorResponse(401, "UNAUTHORIZED", error.message));
    }
    if (role !== "service_role") {
      return Promise.resolve(
        errorResponse(403, "FORBIDDEN", "only the service role may start the dispatcher"),
      );
    }
    // The kick carries nothing the dispatcher reads, but a body is still bounded (413): no
    // request may make a function hold more than MAX_REQUEST_BODY_BYTES.
    return readBoundedBody(request).then(() => {
      options.waitUntil(options.kick());
      return jsonResponse(202, { accepted: true });
    }, (error) => {
      if (error instanceof BodyTooLargeError) return bodyTooLargeResponse(error);
      throw error;
    });
  };
}
