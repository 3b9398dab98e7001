-- The tables the management platform already writes (DESIGN section 2): names,
-- columns, types, enum values and defaults are a contract and must not drift.

create schema if not exists notify;
comment on schema notify is 'XNovu API surface: the notification contract tables, status history and the cancellation RPC.';

create schema if not exists notify_internal;
comment on schema notify_internal is 'XNovu private helpers (status machine, enqueue, settings, access helper); not exposed through the API.';

create table notify.typ_notification_category (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  publish_status shared_types.publish_status not null default 'DRAFT',
  deactivated boolean not null default false,
  business_id uuid,
  enterprise_id uuid,
  repr text generated always as (func.normalize_repr(name)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid default auth.user_id(),
  updated_by uuid default auth.user_id(),
  code text unique,
  path extensions.ltree,
  path_text text generated always as (path::text) stored,
  sort_order int,
  constraint typ_notification_category_name_unique_per_enterprise unique (name, enterprise_id)
);
comment on table notify.typ_notification_category is 'Notification categories as an ltree hierarchy; enterprise_id null marks a category shared by all enterprises.';

create table notify.typ_notification_priority (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  publish_status shared_types.publish_status not null default 'DRAFT',
  deactivated boolean not null default false,
  business_id uuid,
  enterprise_id uuid,
  repr text generated always as (func.normalize_repr(name)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid default auth.user_id(),
  updated_by uuid default auth.user_id(),
  code text unique,
  sort_order int,
  constraint typ_notification_priority_name_unique_per_enterprise unique (name, enterprise_id)
);
comment on table notify.typ_notification_priority is 'Notification priorities; enterprise_id null marks a priority shared by all enterprises.';

create table notify.ent_notification_template (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  publish_status shared_types.publish_status not null default 'DRAFT',
  deactivated boolean not null default false,
  business_id uuid,
  enterprise_id uuid,
  repr text generated always as (func.normalize_repr(name)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid default auth.user_id(),
  updated_by uuid default auth.user_id(),
  template_key text unique,
  notification_category_id bigint references notify.typ_notification_category (id) on delete set null,
  channel_type shared_types.notification_channel_type not null,
  subject_template text,
  body_template text not null,
  variables_description jsonb
);
comment on table notify.ent_notification_template is 'Per-channel message templates (mustache plus xnovu_render includes); enterprise_id null marks a shared template usable as a fallback by every enterprise.';

create table notify.ent_notification_workflow (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  publish_status shared_types.publish_status not null default 'DRAFT',
  deactivated boolean not null default false,
  business_id uuid,
  enterprise_id uuid,
  repr text generated always as (func.normalize_repr(workflow_key)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid default auth.user_id(),
  updated_by uuid default auth.user_id(),
  workflow_type shared_types.notification_workflow_type not null,
  workflow_key text not null unique,
  default_channels shared_types.notification_channel_type[],
  payload_schema jsonb,
  control_schema jsonb,
  template_overrides jsonb,
  notification_category_id bigint references notify.typ_notification_category (id) on delete set null
);
comment on table notify.ent_notification_workflow is 'Novu workflows: STATIC ones are code registered here, DYNAMIC ones are defined by default_channels and template_overrides; workflow_key is the Novu workflow id.';

create table notify.ent_notification_rule (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  publish_status shared_types.publish_status not null default 'DRAFT',
  deactivated boolean not null default false,
  business_id uuid,
  enterprise_id uuid,
  repr text generated always as (func.normalize_repr(name)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid default auth.user_id(),
  updated_by uuid default auth.user_id(),
  notification_workflow_id bigint not null references notify.ent_notification_workflow (id) on delete cascade,
  trigger_type text,
  trigger_config jsonb,
  rule_payload jsonb,
  constraint ent_notification_rule_trigger_type_is_cron_schedule_or_event
    check (trigger_type in ('CRON', 'SCHEDULE', 'EVENT'))
);
comment on table notify.ent_notification_rule is 'Rules that create notifications on a cron schedule, at a scheduled time or on an event.';

create table notify.ent_notification (
  id bigint generated always as identity primary key,
  name text not null,
  description text,
  publish_status shared_types.publish_status not null default 'DRAFT',
  deactivated boolean not null default false,
  business_id uuid,
  enterprise_id uuid,
  repr text generated always as (func.normalize_repr(name)) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid default auth.user_id(),
  updated_by uuid default auth.user_id(),
  notification_category_id bigint references notify.typ_notification_category (id) on delete set null,
  notification_priority_id bigint references notify.typ_notification_priority (id) on delete set null,
  notification_workflow_id bigint references notify.ent_notification_workflow (id) on delete set null,
  notification_rule_id bigint references notify.ent_notification_rule (id) on delete set null,
  notification_status shared_types.notification_status not null default 'PENDING',
  payload jsonb not null,
  recipients uuid[] not null,
  channels shared_types.notification_channel_type[] default '{IN_APP}',
  overrides jsonb,
  tags text[],
  transaction_id text,
  scheduled_for timestamptz,
  processed_at timestamptz,
  retracted_at timestamptz,
  retraction_reason text,
  error_details jsonb,
  workflow_version int default 1,
  constraint ent_notification_name_unique_per_enterprise unique (name, enterprise_id)
);
comment on table notify.ent_notification is 'One notification to deliver through Novu; inserting it published enqueues it, its status is moved only by the status machine.';

-- Dashboard and product queries: an enterprise's notifications by status, the
-- due scheduled ones, and everything hanging off a workflow or rule.
create index ent_notification_enterprise_status_idx on notify.ent_notification (enterprise_id, notification_status);
create index ent_notification_pending_scheduled_for_idx on notify.ent_notification (scheduled_for)
  where notification_status = 'PENDING' and scheduled_for is not null;
create index ent_notification_workflow_idx on notify.ent_notification (notification_workflow_id);
create index ent_notification_rule_idx on notify.ent_notification (notification_rule_id);
create index ent_notification_category_idx on notify.ent_notification (notification_category_id);
create index ent_notification_priority_idx on notify.ent_notification (notification_priority_id);
create index ent_notification_template_enterprise_channel_idx on notify.ent_notification_template (enterprise_id, channel_type);
create index ent_notification_template_category_idx on notify.ent_notification_template (notification_category_id);
create index ent_notification_workflow_enterprise_idx on notify.ent_notification_workflow (enterprise_id, publish_status);
create index ent_notification_workflow_category_idx on notify.ent_notification_workflow (notification_category_id);
create index ent_notification_rule_workflow_idx on notify.ent_notification_rule (notification_workflow_id);
create index ent_notification_rule_enterprise_trigger_idx on notify.ent_notification_rule (enterprise_id, trigger_type);
create index typ_notification_category_path_idx on notify.typ_notification_category using gist (path);
