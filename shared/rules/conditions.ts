import jsonLogic from "json-logic-js";

/**
 * Whether an EVENT rule's `conditions` (a JSON Logic rule, evaluated by json-logic-js) hold for
 * the firing context; no conditions always hold. Data only: JSON Logic has no way to run code.
 * Throws on an unknown operation, which the caller records as a failed firing.
 */
export function conditionsHold(conditions: unknown, context: Record<string, unknown>): boolean {
  if (conditions === undefined || conditions === null) return true;
  return jsonLogic.truthy(jsonLogic.apply(conditions as jsonLogic.RulesLogic, context));
}
