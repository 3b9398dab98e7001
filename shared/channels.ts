/**
 * The channel names, defined once: the values of the `shared_types.notification_channel_type`
 * enum, in the order a workflow's steps run. Templates, workflows, the dispatcher and the
 * functions' request schemas all take them from here.
 */
export const CHANNELS = ["EMAIL", "IN_APP", "SMS", "PUSH", "CHAT"] as const;
export type Channel = typeof CHANNELS[number];
